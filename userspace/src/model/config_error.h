// A located configuration error: file, JSON pointer, and for syntax errors line and column.
#pragma once

#include <string>
#include <vector>

namespace iscsictl {

struct ConfigError {
  std::string file;
  std::string pointer;  // RFC 6901; "" is the whole document
  int line = 0;         // 1-based; 0 if unknown
  int column = 0;
  std::string message;

  // "FILE[:LINE:COL]:POINTER: message" (no POINTER part for the whole document).
  std::string ToString() const;
};

using ConfigErrors = std::vector<ConfigError>;

// Appends "/token" with RFC 6901 escaping.
std::string JoinPointer(const std::string& pointer, const std::string& token);

}  // namespace iscsictl
