// `iscsictl status`'s volumes for a terminal (after the sessions): each volume by WWID with
// its multipath map, its health line and a row per path; and `status --check`'s lines.
#pragma once

#include <string>

#include "plan/volumes.h"

namespace iscsictl {

std::string FormatVolumes(const VolumeReport& report);
std::string FormatCheck(const CheckResult& check);

}  // namespace iscsictl
