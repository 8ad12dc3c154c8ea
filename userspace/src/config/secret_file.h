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

// Creates `path` (mode 0600, never replacing a file or following a link) holding `secret`
// and a newline; its directory is created if missing and made 0700. nullopt, or why not.
std::optional<std::string> WriteSecretFile(const std::string& path, const std::string& secret);

}  // namespace iscsictl
