#include "model/config_error.h"

#include <fmt/format.h>

namespace iscsictl {

std::string ConfigError::ToString() const {
  std::string where = file;
  if (line > 0) {
    where += fmt::format(":{}:{}", line, column);
  }
  if (!pointer.empty()) {
    where += ":" + pointer;
  }
  return where + ": " + message;
}

std::string JoinPointer(const std::string& pointer, const std::string& token) {
  std::string out = pointer + "/";
  for (char c : token) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace iscsictl
