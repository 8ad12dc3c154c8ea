#include "base/portal.h"

#include <fmt/format.h>

#include <algorithm>

#include "base/names.h"
#include "base/numbers.h"

namespace iscsictl {

std::string FormatPortal(std::string_view address, int port) {
  if (address.find(':') != std::string_view::npos) {
    return fmt::format("[{}]:{}", address, port);
  }
  return fmt::format("{}:{}", address, port);
}

bool ParsePortal(std::string_view text, std::string& address, std::optional<int>& port) {
  std::string_view rest;
  if (!text.empty() && text.front() == '[') {
    size_t close = text.find(']');
    if (close == std::string_view::npos) {
      return false;
    }
    address = std::string(text.substr(1, close - 1));
    rest = text.substr(close + 1);
  } else if (std::count(text.begin(), text.end(), ':') == 1) {
    size_t colon = text.find(':');
    address = std::string(text.substr(0, colon));
    rest = text.substr(colon);
  } else {
    address = std::string(text);
  }
  if (!rest.empty()) {
    std::optional<long> p = rest.front() == ':' ? ParseLong(rest.substr(1)) : std::nullopt;
    if (!p || *p < 1 || *p > 65535) {
      return false;
    }
    port = static_cast<int>(*p);
  }
  return IsHost(address);
}

}  // namespace iscsictl
