// The device mapper's text of a multipath target (dm-mpath.c's multipath_status): its
// table (features, hardware handler, path groups with their selector, paths by maj:min)
// and its status (group states, each path active or failed). Pure parsers; the I/O is
// sources/multipath_reader.h.
#pragma once

#include <string>

#include "model/multipath.h"

namespace iscsictl {

// Fills map.features, map.hwhandler, map.groups (number, selector) and map.paths (devt,
// group). False with `error` set on text that is not a multipath table.
bool ParseMpathTable(const std::string& text, MpathMap& map, std::string& error);

// Sets each group's state and each path's dm_state and fail_count (paths matched by devt;
// a path the table lacks is added). False with `error` on malformed text.
bool ParseMpathStatus(const std::string& text, MpathMap& map, std::string& error);

}  // namespace iscsictl
