// The path wait after logins (apply, login, the daemon's passes): one poll loop over every
// session just logged in, bounded, until each one's disks are active paths of a
// dm-multipath map (multipathd builds or extends the map from the disk's uevent). Each
// login's outcome then says so ("path sdf active in mpatha") or why not; nothing is waited
// for without multipathd. The verdicts are plan/path_wait.h's; the reads go through
// PathWaitIo (the live-state source and the multipath reader; fakes in tests).
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "exec/executor.h"
#include "model/multipath.h"

namespace iscsictl {

struct PathWaitIo {
  SessionProbe sessions;                 // the live sessions now
  std::function<MultipathState()> maps;  // the maps now (sysfs and dm)
  // nullopt when multipathd answers, else why not ("multipathd is not running (no socket)").
  std::function<std::optional<std::string>()> multipathd_down;
  // The devices multipathd lists as paths; nullopt if it does not say.
  std::function<std::optional<std::set<std::string>>()> multipathd_paths;
  std::function<std::chrono::steady_clock::time_point()> now;
  std::function<void(std::chrono::milliseconds)> sleep;
};

// The host's: the live-state source below `sysfs_root`, ReadMultipathForPlan, multipathd's
// socket.
PathWaitIo RealPathWaitIo(const std::string& sysfs_root);

inline constexpr std::chrono::milliseconds kPathPollInterval{250};

// For every login of `logins` that succeeded: waits at most `limit` (one loop for all of
// them) and sets its outcome's `path` and `path_seconds`. Returns a note for the whole run
// ("" or why nothing was waited for: multipathd is not running). `progress` (if set) is
// told when the wait starts.
std::string WaitForPaths(const Plan& plan, const std::vector<size_t>& logins,
                         std::chrono::seconds limit, const PathWaitIo& io, ExecResult& result,
                         const ProgressFn& progress = {});

}  // namespace iscsictl
