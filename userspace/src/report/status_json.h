// `iscsictl status --json` and `iscsictl nics --json` (json-schema/status.schema.json).
#pragma once

#include <nlohmann/json.hpp>
#include <vector>

#include "model/nic.h"
#include "plan/status_report.h"

namespace iscsictl {

nlohmann::ordered_json StatusToJson(const StatusReport& report);
nlohmann::ordered_json NicsToJson(const std::vector<NicInfo>& nics);

}  // namespace iscsictl
