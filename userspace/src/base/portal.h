// A portal (address and port) as text, the one place that brackets IPv6 addresses:
// "10.0.0.1:3260", "[fe80::1]:3260". open-iscsi wants the brackets wherever it takes an
// address with a port (iscsiadm -p, its session listing); record directories and record
// IDs keep the bare address beside a comma.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace iscsictl {

// "10.0.0.1:3260", "[fe80::1]:3260" (any address holding ':' is IPv6), "host.example:3260".
std::string FormatPortal(std::string_view address, int port);

// "10.0.0.1", "10.0.0.1:3260", "[fe80::1]:3260", "[fe80::1]", "fe80::1" (bare IPv6: no
// port) -> address and, if given, port (1..65535). False unless the address is an IPv4 or
// IPv6 address or a host name.
bool ParsePortal(std::string_view text, std::string& address, std::optional<int>& port);

}  // namespace iscsictl
