// `iscsictl status`'s volumes: the LUs the sessions reach, each by WWID with its dm-multipath
// map and under it each path (disk, session, NIC, dm path state, multipathd's checker
// state, group), and its health: paths the config wants / sessions logged in / paths active.
// `status --check` turns the health into monitoring-plugin exits. Pure.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/multipath.h"
#include "plan/status_report.h"

namespace iscsictl {

struct VolumePath {
  std::string dev;  // "sda" ("" for a map member whose disk is gone)
  std::string devt;
  int sid = -1;  // its session (-1: not an iSCSI disk of ours to see)
  std::string session_state;
  std::string netdev, mac;
  std::string dm_state;  // "active", "failed", "" (no map or dm unreadable)
  std::string checker;   // "" unknown
  int group = 0;
  int priority = -1;
};

enum class Health { kOk, kDegraded, kFailed, kUnknown };
std::string_view HealthName(Health h);

struct Volume {
  std::string wwid;    // the map's WWID, else the disk's (sysfs device/wwid)
  std::string target;  // the target its sessions reach
  std::optional<MpathMap> map;
  std::string no_map;  // why there is no map ("multipathd is not running", ...)
  std::vector<VolumePath> paths;
  int wanted = -1;    // sessions the config wants to the target (-1: no config)
  int logged_in = 0;  // sessions LOGGED_IN reaching it
  int active = 0;     // paths dm has active (without a map: logged_in)
  Health health = Health::kOk;
  std::vector<std::string> problems;  // one line each
  // Settings that contradict each other (not a health problem): a session's recovery_tmo
  // that multipathd rewrote from its fast_io_fail_tmo, unlike the config's
  // replacement_timeout.
  std::vector<std::string> notes;
};

struct VolumeReport {
  std::vector<Volume> volumes;
  bool multipathd = false;
  std::string multipathd_error;  // "checker states unavailable: ..." when not answering
  std::string dm_error;
};

// `wwids`: block device -> its sysfs WWID (for disks outside maps); `desired`: the config's
// sessions (null without a config).
VolumeReport BuildVolumes(const StatusReport& status, const MultipathState& multipath,
                          const std::map<std::string, std::string>& wwids,
                          const std::vector<DesiredSession>* desired = nullptr);

// The monitoring-plugin exit of `status --check` (0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN),
// its summary line and one line per problem.
struct CheckResult {
  int exit = 0;
  std::string summary;
  std::vector<std::string> lines;
};
CheckResult CheckVolumes(const VolumeReport& report);

}  // namespace iscsictl
