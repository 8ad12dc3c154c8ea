// Whether iscsid answers: before any login or logout (iscsiadm would fail each one alone).
#pragma once

#include <optional>
#include <string>

namespace iscsictl {

// The abstract unix socket iscsid (or systemd's iscsid.socket) listens on.
inline constexpr const char* kIscsidSocket = "ISCSIADM_ABSTRACT_NAMESPACE";

// nullopt if something accepts a connection on the abstract socket `name`; else why not,
// with what to do about it.
std::optional<std::string> CheckIscsid(const std::string& name = kIscsidSocket);

}  // namespace iscsictl
