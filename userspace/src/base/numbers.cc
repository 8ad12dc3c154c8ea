#include "base/numbers.h"

#include <charconv>
#include <climits>

namespace iscsictl {

std::optional<long> ParseLong(std::string_view s) {
  long v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || s.empty()) {
    return std::nullopt;
  }
  return v;
}

int NumberAfter(std::string_view s, std::string_view prefix) {
  if (!s.starts_with(prefix)) {
    return -1;
  }
  std::optional<long> v = ParseLong(s.substr(prefix.size()));
  return v && *v >= 0 && *v <= INT_MAX ? static_cast<int>(*v) : -1;
}

}  // namespace iscsictl
