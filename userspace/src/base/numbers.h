// Decimal numbers in text (sysfs attributes, directory names, record values).
#pragma once

#include <optional>
#include <string_view>

namespace iscsictl {

// The whole of `s` as a decimal integer; nullopt if it is not one (empty, a sign alone,
// trailing characters, out of range).
std::optional<long> ParseLong(std::string_view s);

// N of "<prefix>N" (N >= 0), e.g. NumberAfter("session3", "session") == 3; -1 otherwise.
int NumberAfter(std::string_view s, std::string_view prefix);

}  // namespace iscsictl
