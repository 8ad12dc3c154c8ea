#include "sources/pci_path.h"

namespace iscsictl {

bool IsPciAddress(std::string_view s) {
  // dddd:bb:dd.f (hex), domain may be longer on some platforms.
  size_t colon2 = s.rfind(':');
  if (s.size() < 12 || colon2 == std::string_view::npos || colon2 + 5 != s.size() ||
      s[colon2 + 3] != '.') {
    return false;
  }
  auto hex = [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  };
  size_t colon1 = s.rfind(':', colon2 - 1);
  if (colon1 == std::string_view::npos || colon1 < 4 || colon2 - colon1 != 3) {
    return false;
  }
  for (size_t i = 0; i < s.size(); ++i) {
    if (i == colon1 || i == colon2 || i == colon2 + 3) {
      continue;
    }
    if (!hex(s[i])) {
      return false;
    }
  }
  return s.back() >= '0' && s.back() <= '7';
}

std::string LastPciComponent(std::string_view path) {
  std::string found;
  size_t pos = 0;
  while (pos <= path.size()) {
    size_t end = path.find('/', pos);
    if (end == std::string_view::npos) {
      end = path.size();
    }
    std::string_view comp = path.substr(pos, end - pos);
    if (IsPciAddress(comp)) {
      found = std::string(comp);
    }
    pos = end + 1;
  }
  return found;
}

}  // namespace iscsictl
