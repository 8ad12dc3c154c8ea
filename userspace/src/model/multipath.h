// dm-multipath maps and their paths, as the device mapper and multipathd see them
// (sources/multipath_reader.h reads them): what status shows per volume and what the
// planner's last-path rule decides from.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace iscsictl {

struct MpathPath {
  std::string dev;       // "sda" (the map's slave with this devt); "" if not in sysfs
  std::string devt;      // "8:0", from the map's table
  std::string dm_state;  // "active" or "failed" (dm status); "" if dm could not be read
  int fail_count = 0;
  int group = 0;        // 1-based path group
  std::string checker;  // multipathd's checker state ("ready", "faulty", ...); "" unknown
  int priority = -1;    // multipathd's path priority; -1 unknown
};

struct MpathGroup {
  int number = 0;        // 1-based
  std::string state;     // "active", "enabled", "disabled" (dm status)
  std::string selector;  // "service-time 0" (dm table)
};

struct MpathMap {
  std::string name;        // "mpatha"
  std::string dm;          // "dm-0"
  std::string wwid;        // the uuid without its "mpath-" prefix
  std::uint64_t size = 0;  // bytes
  std::string features;    // the table's features ("1 queue_if_no_path")
  std::string hwhandler;   // the table's hardware handler ("0", "1 alua")
  std::vector<MpathGroup> groups;
  std::vector<MpathPath> paths;  // slaves first (sysfs), states from dm when read
  bool dm_read = false;          // table and status read from the device mapper

  int ActivePaths() const;
  const MpathPath* PathOf(const std::string& dev) const;
};

struct MultipathState {
  std::vector<MpathMap> maps;
  std::string dm_error;          // why table/status could not be read ("" when they were)
  bool multipathd = false;       // multipathd answered: checker states are there
  std::string multipathd_error;  // why not ("not running", ...)

  const MpathMap* MapOfDisk(const std::string& dev) const;
};

}  // namespace iscsictl
