// dm-multipath maps from the host: sysfs (/sys/block/dm-N/dm/{name,uuid}, size, slaves/),
// the device mapper's table and status of each map (DM_TABLE_STATUS, dm_ioctl.h) and, when it
// runs and is asked, multipathd's `show maps json` over its socket for checker states.
// Never `multipath -ll` text. I/O edge; the parsers are dm_mpath_text.h and
// multipathd_json.h.
#pragma once

#include <functional>
#include <optional>
#include <set>
#include <string>

#include "model/multipath.h"

namespace iscsictl {

struct MultipathIo {
  // The params of a map's multipath target: `status` false for its table, true for its
  // status (DM_DEVICE_TABLE / DM_DEVICE_STATUS); nullopt with `error` set if unreadable.
  std::function<std::optional<std::string>(const std::string& map, bool status, std::string& error)>
      dm;
  // multipathd's reply to a command; nullopt with `error` set if it does not answer.
  std::function<std::optional<std::string>(const std::string& command, std::string& error)>
      multipathd;
};

// The device mapper's ioctl and multipathd's socket.
MultipathIo RealMultipathIo();

// Every multipath map (dm uuid "mpath-...") below `root` ("/" live). `io.dm` fills states
// (skipped if unset); `io.multipathd` checker states (skipped if unset).
MultipathState ReadMultipath(const std::string& root, const MultipathIo& io);

// What the planner needs (sysfs and dm, no multipathd) on a live system; only sysfs
// below another root (recorded trees).
MultipathState ReadMultipathForPlan(const std::string& root);
// What status shows: also multipathd's checker states.
MultipathState ReadMultipathForStatus(const std::string& root);

// nullopt when multipathd answers `show daemon`, else why not.
std::optional<std::string> MultipathdDown(const MultipathIo& io);

// The block devices multipathd lists as paths (`show paths raw format "%d"`: in a map or
// orphans; a blacklisted device is not listed); nullopt if it does not answer.
std::optional<std::set<std::string>> MultipathdPaths(const MultipathIo& io);

}  // namespace iscsictl
