// CHAP secret files: must be regular files owned by root (or the running user),
// not accessible by group or others, and not empty. The secret itself is never
// logged or printed.
#pragma once

#include <optional>
#include <string>

namespace iscsictl {

// nullopt if `path` is an acceptable secret file; otherwise why not.
std::optional<std::string> CheckSecretFile(const std::string& path);

// The first line of the file (without newline); nullopt and `why` set on failure.
std::optional<std::string> ReadSecretFile(const std::string& path, std::string& why);

}  // namespace iscsictl
