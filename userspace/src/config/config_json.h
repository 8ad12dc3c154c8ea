// Conversion between a (schema-valid) JSON document and the Config model.
// Pure: no I/O.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "model/config.h"
#include "model/config_error.h"

namespace iscsictl {

// Builds the model from a document that passed ValidateConfigSchema. Checks
// what the schema cannot express precisely (addresses, iSCSI names, MACs,
// subnets, keys that contradict in one object); errors are appended to `errors`
// with `file` and pointer.
Config ConfigFromJson(const nlohmann::json& doc, const std::string& file, ConfigErrors& errors);

// The inverse: only fields that are set are written, in open-iscsi's order.
nlohmann::ordered_json ConfigToJson(const Config& config);
nlohmann::ordered_json SessionParamsToJson(const SessionParams& p);
nlohmann::ordered_json ConnParamsToJson(const ConnParams& p);
nlohmann::ordered_json IfaceToJson(const Iface& iface);

}  // namespace iscsictl
