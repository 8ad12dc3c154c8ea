// Parsing JSON text with located errors: line and column from nlohmann's byte
// offset, the JSON pointer reached when the error occurred, and duplicate keys
// (which nlohmann would silently collapse). Pure: no I/O.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace iscsictl {

struct JsonSyntaxError {
  std::string pointer;  // deepest value being parsed
  int line = 0;
  int column = 0;
  std::string message;
};

struct ParsedJson {
  nlohmann::json value;
  std::optional<JsonSyntaxError> error;
};

ParsedJson ParseJsonText(std::string_view text);

// 1-based line and column of the byte at `offset` (0-based) in `text`.
std::pair<int, int> LineColumn(std::string_view text, size_t offset);

}  // namespace iscsictl
