// `iscsictl status` and `iscsictl nics` for a terminal: aligned columns, 80 wide except
// for long record IDs.
#pragma once

#include <string>
#include <vector>

#include "model/nic.h"
#include "plan/status_report.h"

namespace iscsictl {

std::string FormatStatus(const StatusReport& report);
std::string FormatNics(const std::vector<NicInfo>& nics);

}  // namespace iscsictl
