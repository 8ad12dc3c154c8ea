// The reconcile edge: gathers the planner's inputs (config, NICs, secrets, records, live
// sessions, disk use), plans, and with the lock held carries the plan out. Used by
// `plan`, `apply`, `reload`, `login`, `logout` and (later) the daemon.
#pragma once

#include <chrono>
#include <functional>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "base/exit_status.h"
#include "config/config_load.h"
#include "exec/executor.h"
#include "model/nic.h"
#include "plan/plan.h"

namespace iscsictl {

struct ReconcileEnv {
  std::string config_path;
  std::string sysfs_root = "/";  // recorded trees in tests
  std::string iscsi_root = "/etc/iscsi";
  std::string lock_path = "/run/lock/iscsictl.lock";
  std::chrono::milliseconds lock_wait{300000};
  ExecOptions exec;
  bool need_config = true;  // false: logout works without one
  // When set, this config is used instead of reading config_path (the daemon keeps its
  // last good config in force while the file holds an invalid edit).
  const LoadedConfig* loaded = nullptr;
};

struct ReconcileInputs {
  LoadedConfig loaded;
  std::vector<NicInfo> nics;
  std::vector<DesiredBinding> bindings;
  Observed observed;
};

// nullopt on success; else the exit status, with the located errors written to `err`.
std::optional<int> GatherInputs(const ReconcileEnv& env, ReconcileInputs& in, std::ostream& err);

// nullopt if iscsid answers on its control socket; else why not.
std::optional<std::string> CheckIscsid();

// Runs `plan` (caller holds the lock) and prints progress and the summary on `err`.
// Returns the exit status: 0 all done, 1 some failed, 3 blocked, 4 iscsid unreachable.
int CarryOut(const Plan& plan, const ReconcileEnv& env, std::ostream& err);

}  // namespace iscsictl
