// JSON of `iscsictl status`'s volumes ("volumes" and "multipath" of
// json-schema/status.schema.json).
#pragma once

#include <nlohmann/json.hpp>

#include "plan/volumes.h"

namespace iscsictl {

// Adds "multipath" and "volumes" to a status document.
void PutVolumesJson(nlohmann::ordered_json& status, const VolumeReport& report);

}  // namespace iscsictl
