// Carries out a Plan: records through RecordStore, logins and logouts through iscsiadm
// (argv only, CommandRunner). Logins and logouts go in batches (exec/batches.h: one
// iscsiadm over many records when its filters match exactly the plan's sessions, which
// iscsid then runs concurrently), batches in parallel with bounded concurrency; a failure
// does not stop the others and is attributed to its session from what the kernel shows
// after the batch. The caller holds the lock.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "base/process.h"
#include "exec/batches.h"
#include "plan/plan.h"
#include "store/record_store.h"

namespace iscsictl {

struct ExecOptions {
  int jobs = 8;  // concurrent iscsiadm invocations
  BatchShape batch = BatchShape::kIface;
  std::chrono::milliseconds login_timeout{180000};
  std::chrono::milliseconds logout_timeout{60000};
  // How often a running batch's progress is checked (the probe: its members logged in or
  // gone); its time limit counts from the last progress (base/process.h).
  std::chrono::milliseconds progress_every{2000};
  std::string iscsiadm = "iscsiadm";
  // After the logins: wait this long for the new sessions' disks to be active paths of
  // multipath maps (exec/path_wait.h; 0: no wait). CarryOut sets it: --path-wait, else the
  // config's multipath.path_wait, else kDefaultPathWaitSeconds.
  std::chrono::seconds path_wait{0};
  std::optional<std::chrono::seconds> path_wait_override;  // --path-wait
};

struct ActionOutcome {
  size_t index = 0;  // into plan.actions
  bool ok = false;
  bool skipped = false;  // not attempted (e.g. a record delete after a failed logout)
  std::string detail;    // the error, or a remark ("already logged in")
  double seconds = 0;
  // A login's path wait (exec/path_wait.h): "path sdf active in mpatha", or why not
  // ("sdf not in a map after 15 s", "no disk yet"); "" when there was no wait.
  std::string path;
  bool path_active = false;
  double path_seconds = 0;  // from the end of the logins to the verdict
};

struct ExecResult {
  std::vector<ActionOutcome> outcomes;  // one per action, in plan order
  std::string path_note;                // why no path wait ran ("" if it did or was not asked)
  size_t Failed() const;                // attempted and failed
  size_t Skipped() const;               // not attempted
};

// The live sessions now (the live-state source; a fake in tests): which sessions a logout
// filter matches, and how each member of a failed batch ended.
using SessionProbe = std::function<std::vector<ObservedSession>()>;

// Receives one line per finished action ("login 3/8 ...: ok (0.4 s)").
using ProgressFn = std::function<void(const std::string&)>;

// Runs after the logins (exec/path_wait.h's WaitForPaths with the host's reads): sets the
// `path` of the logins' outcomes; returns a note for the run ("" if none).
using PathWaitFn = std::function<std::string(const Plan&, const std::vector<size_t>& logins,
                                             ExecResult&, const ProgressFn&)>;

// The iscsiadm argv of a login / logout (secrets never appear: they are in the record).
std::vector<std::string> LoginArgv(const std::string& iscsiadm, const NodeKey& key);
std::vector<std::string> LogoutArgv(const std::string& iscsiadm, int sid);

// Records first (logins read them), then logins (at most options.jobs iscsiadm at once),
// then logouts, then record deletions. A login whose record could not be written is
// skipped, and so is the deletion of a record whose session is still logged in. Without a
// probe every session gets a process of its own (BatchShape::kSingle). With `path_wait`
// (and options.path_wait > 0) the login lines are printed after it, each with its path.
ExecResult Execute(const Plan& plan, const RecordStore& store, CommandRunner& runner,
                   const ExecOptions& options, const ProgressFn& progress,
                   const SessionProbe& probe = {}, const PathWaitFn& path_wait = {});

}  // namespace iscsictl
