// The live state from sysfs: walks <root>/sys/class/iscsi_host and iscsi_session and, below
// each session's device, its connections and SCSI disks, reading the attributes
// model/live_fields.h names, each once (openat on O_PATH directory descriptors).
// live_source.h uses it when the module's netlink family is not there.
#pragma once

#include <string>

#include "model/live_state.h"

namespace iscsictl {

// `root` is "/" on a live system, a recorded tree in tests. A missing root yields an empty
// state.
LiveState ReadSysfsLiveState(const std::string& root);

}  // namespace iscsictl
