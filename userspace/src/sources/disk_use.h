// Whether the SCSI disks of sessions are in use (mounted, held by dm/md, opened
// exclusively) and their WWIDs: the input of the planner's last-path rule. I/O edge.
#pragma once

#include <map>
#include <string>

#include "model/disk.h"
#include "model/live_state.h"

namespace iscsictl {

// For every disk of the given sessions (by block device name). `root` prefixes /sys,
// /proc and /dev (tests use recorded trees; "/" on a live system).
std::map<std::string, DiskUse> ReadDiskUse(const std::vector<LiveSession>& sessions,
                                           const std::string& root = "/");

}  // namespace iscsictl
