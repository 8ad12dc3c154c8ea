// Version string of iscsictl.
#pragma once

#include <string_view>

namespace iscsictl {

std::string_view Version();

}  // namespace iscsictl
