// After a login: is the new session's disk an active path of a dm-multipath map yet?
// The pure verdict behind apply's and the daemon's path wait (exec/path_wait.h polls the
// host and asks this once per session and poll). docs/multipath.md, "After a login".
#pragma once

#include <optional>
#include <set>
#include <string>

#include "model/multipath.h"
#include "plan/plan.h"

namespace iscsictl {

struct PathVerdict {
  bool done = false;    // nothing more to wait for (the text is final)
  bool active = false;  // every disk of the session is an active path of a map
  // "path sdf active in mpatha", "no disk yet", "sdf not in a map after 15 s", ...
  std::string text;
};

// `session` as the kernel shows it now (nullptr: no such session any more), `maps` as the
// multipath reader shows them. A session without any SCSI device has none to wait for (a
// target without LUNs: iscsid scans before the login returns): done at once, "no disk
// yet". Not `last` (the wait goes on): done only when every disk is an active path of a
// map (or in one whose path states dm could not tell). `last`: the limit of `limit_s`
// seconds is reached; the verdict is done and says why each disk is not active.
// `multipathd_paths`, when known (last poll only), are the devices multipathd lists: a disk
// it does not list was refused by it (blacklisted).
PathVerdict JudgePath(const ObservedSession* session, const MultipathState& maps, bool last,
                      long limit_s, const std::optional<std::set<std::string>>& multipathd_paths);

}  // namespace iscsictl
