// `iscsictl plan` for people and `plan --json` for machines. Secrets never appear: only the
// names of the keys a record write changes.
#pragma once

#include <string>

#include "plan/plan.h"

namespace iscsictl {

std::string FormatPlan(const Plan& plan);
std::string PlanToJson(const Plan& plan);

}  // namespace iscsictl
