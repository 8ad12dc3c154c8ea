// Readers of the live iSCSI state. The interface is narrow so that tests (and a
// libudev or netlink reader later) can replace the one that walks sysfs.
#pragma once

#include <memory>
#include <string>

#include "model/live_state.h"

namespace iscsictl {

class LiveStateReader {
 public:
  virtual ~LiveStateReader() = default;
  virtual LiveState Read() = 0;
};

// Walks <root>/sys/class/iscsi_host and iscsi_session and, below each session's
// device, its connections and SCSI disks. Reads every attribute status needs once and
// no other. `root` is "/" on a live system, a recorded tree in tests.
LiveState ReadSysfsLiveState(const std::string& root);

std::unique_ptr<LiveStateReader> MakeSysfsReader(std::string root);

}  // namespace iscsictl
