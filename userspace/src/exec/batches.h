// Which iscsiadm invocation carries out which logins and logouts of a plan. One invocation
// over many records or sessions lets iscsid run them concurrently (iscsiadm sends every
// request, then waits for all), but its filters -T/-I select by pattern: a batch is only
// used when what the filter matches is EXACTLY sessions of the plan. Pure.
//
// Logins (iscsiadm matches node records on disk):
//   `-m node -I I --login`        every record of iface I is a planned login;
//   `-m node -T T -I I --login`   every record of target T on iface I is;
//   `-m node -T T -p P -I I --login`   otherwise, one record.
// Logouts (iscsiadm matches live sessions; `-m session -r` takes one sid only, open-iscsi
// 2.1.8 keeps the last -r):
//   `-m node -I I --logout`       every live session of iface I is a planned logout;
//   `-m node -T T -I I --logout`  every live session of target T on iface I is;
//   `-m session -r SID --logout`  otherwise.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "plan/plan.h"

namespace iscsictl {

// How wide a batch may be (the lab measures them against each other).
enum class BatchShape {
  kIface,   // by iface when exact, else by target, else one
  kTarget,  // by target and iface when exact, else one
  kSingle,  // one process per session (the shape before batching)
};

struct Batch {
  std::string iface;
  std::string target;         // "" : every target of iface
  std::optional<NodeKey> key;  // a single record (logins)
  int sid = -1;               // a single session (logouts)
  std::vector<size_t> members;  // indices into plan.actions, in plan order
};

// `logins` index kLogin actions of `plan`; `on_disk` are the node records iscsiadm would
// read (after this plan's writes).
std::vector<Batch> LoginBatches(const Plan& plan, const std::vector<size_t>& logins,
                                const std::set<NodeKey>& on_disk, BatchShape shape);

// `logouts` index kLogout actions; `live` are the sessions there now.
std::vector<Batch> LogoutBatches(const Plan& plan, const std::vector<size_t>& logouts,
                                 const std::vector<ObservedSession>& live, BatchShape shape);

std::vector<std::string> LoginBatchArgv(const std::string& iscsiadm, const Batch& b);
std::vector<std::string> LogoutBatchArgv(const std::string& iscsiadm, const Batch& b);

}  // namespace iscsictl
