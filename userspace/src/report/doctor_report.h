// `iscsictl doctor`'s findings for people (a line per finding, its fixes indented below it,
// a summary) and for machines (json-schema/doctor.schema.json). Pure string building.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "model/doctor.h"

namespace iscsictl {

std::string FormatDoctor(const std::vector<DoctorFinding>& findings, const DoctorChecked& checked);
nlohmann::ordered_json DoctorToJson(const std::vector<DoctorFinding>& findings,
                                    const DoctorChecked& checked);

}  // namespace iscsictl
