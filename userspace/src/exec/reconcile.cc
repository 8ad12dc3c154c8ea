#include "exec/reconcile.h"

#include <algorithm>
#include <map>
#include <set>

#include "config/config_resolve.h"
#include "config/secret_file.h"
#include "exec/path_wait.h"
#include "sources/disk_use.h"
#include "sources/live_source.h"
#include "sources/multipath_reader.h"
#include "sources/nics.h"
#include "store/record_store.h"

namespace iscsictl {
namespace {

// The content of every secret file the config names; unreadable ones are errors.
SecretValues ReadSecrets(const ReconcileEnv& env, const Config& config, ConfigErrors& errors) {
  SecretValues secrets;
  for (const SecretFileRef& ref : SecretFiles(config)) {
    std::string why;
    if (std::optional<std::string> value = ReadSecretFile(ref.path, why)) {
      secrets[ref.path] = *value;
    } else {
      errors.push_back({env.config_path, ref.pointer, 0, 0, why});
    }
  }
  return secrets;
}

// Live sessions (disk use and multipath maps wait for a plan: AddLogoutDiskUse).
void ReadObserved(const ReconcileEnv& env, Gathered& in) {
  LiveStateSource source(env.sysfs_root);
  std::string error;
  LiveState live = source.Read(&error).value_or(LiveState{});
  in.live_via = source.Used();
  in.observed.sessions = ObserveSessions(live.sessions);
  in.live = std::move(live.sessions);
}

// --path-wait, else the config's multipath.path_wait, else the default.
std::chrono::seconds PathWaitLimit(const ReconcileEnv& env, const Config& config) {
  if (env.exec.path_wait_override) {
    return *env.exec.path_wait_override;
  }
  // A recorded tree (tests) has no multipathd to ask: no wait unless the config asks.
  int64_t fallback = env.sysfs_root == "/" ? kDefaultPathWaitSeconds : 0;
  return std::chrono::seconds(config.multipath.path_wait.value_or(fallback));
}

bool HasSessionActions(const Plan& plan) {
  return std::any_of(plan.actions.begin(), plan.actions.end(), [](const Action& a) {
    return a.kind == ActionKind::kLogin || a.kind == ActionKind::kLogout;
  });
}

}  // namespace

Gathered Gather(const ReconcileEnv& env) {
  Gathered in;
  if (env.loaded != nullptr) {
    in.loaded = *env.loaded;
  } else if (env.need_config) {
    in.loaded = LoadConfigFile(env.config_path);
    if (!in.loaded.ok()) {
      in.errors = in.loaded.errors;
      return in;
    }
    in.warnings = in.loaded.warnings;  // (the daemon logs them when it loads the config)
  }
  SecretValues secrets = ReadSecrets(env, in.loaded.config, in.errors);
  std::string nic_warning;
  in.nics = ReadNics(env.sysfs_root, &nic_warning);
  if (!nic_warning.empty()) {
    in.warnings.push_back(nic_warning);
  }
  std::vector<std::string> unreadable;
  in.observed.records = RecordStore(env.iscsi_root).Read(&unreadable);
  for (const std::string& w : unreadable) {
    in.warnings.push_back("warning: " + w);
  }
  in.bindings = MakeBindings(in.loaded.sessions, FactsOf(in.nics), in.observed.records, secrets,
                             env.config_path, in.errors);
  if (in.ok()) {
    ReadObserved(env, in);
  }
  return in;
}

bool AddLogoutDiskUse(const ReconcileEnv& env, const Plan& plan, Gathered& in) {
  std::set<int> sids;
  for (const Action& a : plan.actions) {
    if (a.kind == ActionKind::kLogout) {
      sids.insert(a.sid);
    }
  }
  if (sids.empty()) {
    return false;
  }
  std::vector<LiveSession> leaving, staying;
  for (const LiveSession& s : in.live) {
    (sids.count(s.sid) != 0 ? leaving : staying).push_back(s);
  }
  std::map<std::string, DiskUse> use = ReadDiskUse(leaving, env.sysfs_root);
  if (std::none_of(use.begin(), use.end(), [](const auto& u) { return u.second.in_use; })) {
    return false;  // the last-path rule keeps nothing
  }
  // Other paths of a disk in use may run through any session, foreign ones too.
  use.merge(ReadDiskWwids(staying, env.sysfs_root));
  in.observed.disks = std::move(use);
  // A disk in a dm-multipath map is judged by the map (its members and dm's path states).
  in.observed.multipath = ReadMultipathForPlan(env.sysfs_root);
  return true;
}

ReconcileRun Prepare(const ReconcileEnv& env, const PlanStep& make_plan) {
  ReconcileRun run;
  run.lock = FileLock::Acquire(env.lock_path, env.lock_wait, run.error);
  if (!run.lock) {
    run.stop = ReconcileRun::Stop::kLock;
    return run;
  }
  run.inputs = Gather(env);
  if (!run.inputs.ok()) {
    run.stop = ReconcileRun::Stop::kInputs;
    return run;
  }
  std::optional<std::string> refusal = make_plan(run.inputs, run.plan);
  if (!refusal && AddLogoutDiskUse(env, run.plan, run.inputs)) {
    run.plan = Plan{};
    refusal = make_plan(run.inputs, run.plan);
  }
  if (refusal) {
    run.stop = ReconcileRun::Stop::kRefused;
    run.error = *refusal;
  }
  return run;
}

void CarryOut(ReconcileRun& run, const ReconcileEnv& env, CommandRunner& runner,
              const ProgressFn& progress) {
  if (run.stop != ReconcileRun::Stop::kNone || run.plan.actions.empty()) {
    return;
  }
  if (HasSessionActions(run.plan)) {
    if (std::optional<std::string> why = CheckIscsid(env.iscsid_socket)) {
      run.stop = ReconcileRun::Stop::kIscsid;
      run.error = *why;
      return;
    }
  }
  RecordStore store(env.iscsi_root);
  (void)store.RemoveTemporaryFiles();  // a crashed run's leftovers (we hold the lock)
  SessionProbe probe = [&env] {
    std::string error;
    LiveState live = LiveStateSource(env.sysfs_root).Read(&error).value_or(LiveState{});
    return ObserveSessions(live.sessions);
  };
  ExecOptions options = env.exec;
  options.path_wait = PathWaitLimit(env, run.inputs.loaded.config);
  PathWaitFn path_wait = [&env, &options](const Plan& plan, const std::vector<size_t>& logins,
                                          ExecResult& result, const ProgressFn& progress) {
    return WaitForPaths(plan, logins, options.path_wait, RealPathWaitIo(env.sysfs_root), result,
                        progress);
  };
  run.exec = Execute(run.plan, store, runner, options, progress, probe, path_wait);
}

}  // namespace iscsictl
