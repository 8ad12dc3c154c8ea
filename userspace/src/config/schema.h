// Validation of a config document against json-schema/iscsictl.schema.json
// (compiled into the binary), with messages rewritten for administrators.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace iscsictl {

// The schema text, embedded at build time.
std::string_view ConfigSchemaText();
const nlohmann::json& ConfigSchema();

struct SchemaError {
  std::string pointer;
  std::string message;
};

// Empty if `doc` is valid. Errors are sorted by pointer, one per location.
std::vector<SchemaError> ValidateConfigSchema(const nlohmann::json& doc);

// Validates `doc` against an arbitrary draft-07 `schema` (for other schemas, e.g. status).
std::vector<SchemaError> ValidateAgainst(const nlohmann::json& schema, const nlohmann::json& doc);

}  // namespace iscsictl
