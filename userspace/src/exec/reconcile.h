// The reconcile pipeline, the one sequence behind plan, apply, reload, login, logout and the
// daemon: lock -> gather -> plan -> iscsid check -> carry out. Every step returns data,
// diagnostics included (nothing here prints); the CLI maps the results to exit statuses
// and text (cli/cmd_reconcile.cc), the daemon to its log records (daemon/daemon_pass.cc).
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "base/file_lock.h"
#include "base/process.h"
#include "config/config_load.h"
#include "exec/executor.h"
#include "exec/iscsid.h"
#include "model/nic.h"
#include "plan/plan.h"

namespace iscsictl {

struct ReconcileEnv {
  std::string config_path;
  std::string sysfs_root = "/";  // recorded trees in tests
  std::string iscsi_root = "/etc/iscsi";
  std::string lock_path = kDefaultLockPath;
  std::chrono::milliseconds lock_wait{300000};
  std::string iscsid_socket = kIscsidSocket;  // tests name a socket of their own
  ExecOptions exec;
  bool need_config = true;  // false: logout works without one
  // When set, this config is used instead of reading config_path (the daemon keeps its
  // last good config in force while the file holds an invalid edit).
  const LoadedConfig* loaded = nullptr;
};

// The planner's inputs, and what went wrong while reading them.
struct Gathered {
  LoadedConfig loaded;
  std::vector<NicInfo> nics;
  std::vector<DesiredBinding> bindings;
  Observed observed;
  std::vector<LiveSession> live;      // as read: the disk use of logout candidates comes from it
  std::string live_via;               // the live state came from "netlink" or "sysfs"
  std::vector<std::string> warnings;  // went on without it ("cannot read <record>", ...)
  ConfigErrors errors;                // config, secret files, bindings: nothing may be done
  bool ok() const { return errors.empty(); }
};

// Reads config (or env.loaded), secret files, NICs, records and the live state; binds the
// desired sessions. Stops after a bad config. Disk use is not read here: AddLogoutDiskUse.
Gathered Gather(const ReconcileEnv& env);

// The last-path rule's input, read only for the disks of the sessions `plan` logs out (no
// disk is claimed: sources/disk_use.h), with the WWIDs of the other sessions' disks when one
// of them is in use. True when one is in use: the plan is to be made again with
// in.observed.disks (Prepare does).
bool AddLogoutDiskUse(const ReconcileEnv& env, const Plan& plan, Gathered& in);

// What a plan step makes of the inputs: the plan, or why the request cannot be planned
// (a bad -T/-p/-I, a session nobody configured).
using PlanStep = std::function<std::optional<std::string>(const Gathered&, Plan&)>;

// One run of the pipeline.
struct ReconcileRun {
  enum class Stop {
    kNone,     // planned (and, after CarryOut, carried out)
    kLock,     // the lock was not obtained: `error`
    kInputs,   // gathering found errors: inputs.errors
    kRefused,  // the plan step refused: `error`
    kIscsid,   // iscsid did not answer: `error`; nothing was done
  };
  Stop stop = Stop::kNone;
  std::string error;
  std::optional<FileLock> lock;
  Gathered inputs;
  Plan plan;
  std::optional<ExecResult> exec;  // set when actions were carried out
  size_t Failed() const { return exec ? exec->Failed() : 0; }
  size_t Skipped() const { return exec ? exec->Skipped() : 0; }
};

// Takes the lock (as env says), then gathers with it held (another apply may just have
// changed the inputs) and plans; plans again when a logout candidate's disk is in use
// (AddLogoutDiskUse). The lock stays in the returned run.
ReconcileRun Prepare(const ReconcileEnv& env, const PlanStep& make_plan);

// Carries out run.plan (nothing when it has no action): checks iscsid first when the plan
// logs in or out, then executes through `runner`. `progress` gets a line per finished action.
void CarryOut(ReconcileRun& run, const ReconcileEnv& env, CommandRunner& runner,
              const ProgressFn& progress);

}  // namespace iscsictl
