// Whether the SCSI disks of sessions are in use and their WWIDs: the input of the planner's
// last-path rule. Nothing here claims a disk (no O_EXCL probe: it could make a concurrent
// mount fail with EBUSY); it is read for the disks of the sessions a plan would log out
// (exec/reconcile.cc). I/O edge.
#pragma once

#include <map>
#include <string>

#include "model/disk.h"
#include "model/live_state.h"

namespace iscsictl {

// For every disk of the given sessions (by block device name): its WWID and whether it (or
// a partition) is held (dm, md: sysfs holders), mounted in any mount namespace (by device
// number or source), a swap device, or open for writing by a process. A read-only open (a
// path checker, udev's probe) is not use. `root` prefixes /sys, /proc and /dev (tests use
// recorded trees; "/" on a live system).
std::map<std::string, DiskUse> ReadDiskUse(const std::vector<LiveSession>& sessions,
                                           const std::string& root = "/");

// Only the WWIDs of the disks of the given sessions (in_use false): the other paths the
// last-path rule looks for.
std::map<std::string, DiskUse> ReadDiskWwids(const std::vector<LiveSession>& sessions,
                                             const std::string& root = "/");

}  // namespace iscsictl
