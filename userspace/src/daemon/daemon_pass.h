// One reconcile pass of the daemon: with the lock held, gather inputs (with the daemon's
// last good config), plan, apply the removed-NIC policy, carry the plan out, and log one
// structured record per action and note. Also the pure policy filter it uses.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "base/process.h"
#include "daemon/daemon_logic.h"
#include "exec/reconcile.h"
#include "plan/plan.h"

namespace iscsictl {

using LogFn = std::function<void(const std::vector<std::pair<std::string, std::string>>&)>;

// Removed-NIC policy: sessions through an iscsictl iface whose NIC is gone are logged out
// only `grace` after the NIC was first seen gone (0 = at once). `gone_since` remembers
// when; it forgets NICs that are back. Drops the held logouts (and the record deletions
// that go with them) from `plan`; returns when the earliest hold ends, if any.
std::optional<Clock::time_point> HoldRemovedNicLogouts(Plan& plan,
                                                       const std::set<std::string>& present_ifaces,
                                                       std::map<std::string, Clock::time_point>& gone_since,
                                                       std::chrono::seconds grace,
                                                       Clock::time_point now, const LogFn& log);

struct PassResult {
  bool converged = false;  // nothing left to do (or only what an admin must decide)
  bool retry = false;      // a failure a later pass may fix: retry with backoff
  int actions = 0;
  std::optional<Clock::time_point> wake;  // a removed-NIC hold ends then
  // As logged in the pass's summary record: "converged", "waiting", "blocked", "partial",
  // or "error" (lock, inputs or iscsid: nothing was carried out).
  std::string result = "error";
  double seconds = 0;
  std::vector<std::pair<std::string, std::string>> outcomes;  // (action kind, ok|failed|skipped)
};

struct PassState {
  std::map<std::string, Clock::time_point> gone_since;
  std::set<std::string> logged_notes;  // absent/conflict notes of the last pass (logged once)
};

// The reconcile pipeline (exec/reconcile.h) with the daemon's plan step (the removed-NIC
// hold), its results as log records: one per warning, note and action, and a summary.
PassResult ReconcilePass(const ReconcileEnv& env, std::chrono::seconds removed_nic_grace,
                         PassState& state, CommandRunner& runner, const LogFn& log);

}  // namespace iscsictl
