// multipathd's `show maps json` reply: its checker state and priority of each path, merged
// into the maps read from the kernel. Pure parser; the socket is sources/multipath_reader.h.
#pragma once

#include <string>

#include "model/multipath.h"

namespace iscsictl {

// Sets checker and priority of the paths of `state`'s maps (maps matched by dm name
// "dm-N" or map name, paths by device name). False with `error` set if `json` is not
// multipathd's JSON.
bool MergeMultipathdJson(const std::string& json, MultipathState& state, std::string& error);

}  // namespace iscsictl
