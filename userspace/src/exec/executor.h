// Carries out a Plan: records through RecordStore, logins and logouts through iscsiadm
// (argv only, CommandRunner). Logins and logouts go in batches (exec/batches.h: one
// iscsiadm over many records when its filters match exactly the plan's sessions, which
// iscsid then runs concurrently), batches in parallel with bounded concurrency; a failure
// does not stop the others and is attributed to its session from what the kernel shows
// after the batch. The caller holds the lock.
#pragma once

#include <chrono>
#include <functional>
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
  std::string iscsiadm = "iscsiadm";
};

struct ActionOutcome {
  size_t index = 0;  // into plan.actions
  bool ok = false;
  bool skipped = false;  // not attempted (e.g. a record delete after a failed logout)
  std::string detail;    // the error, or a remark ("already logged in")
  double seconds = 0;
};

struct ExecResult {
  std::vector<ActionOutcome> outcomes;  // one per action, in plan order
  size_t Failed() const;                // attempted and failed
  size_t Skipped() const;               // not attempted
};

// The live sessions now (the live-state source; a fake in tests): which sessions a logout
// filter matches, and how each member of a failed batch ended.
using SessionProbe = std::function<std::vector<ObservedSession>()>;

// Receives one line per finished action ("login 3/8 ...: ok (0.4 s)").
using ProgressFn = std::function<void(const std::string&)>;

// The iscsiadm argv of a login / logout (secrets never appear: they are in the record).
std::vector<std::string> LoginArgv(const std::string& iscsiadm, const NodeKey& key);
std::vector<std::string> LogoutArgv(const std::string& iscsiadm, int sid);

// Records first (logins read them), then logins (at most options.jobs iscsiadm at once),
// then logouts, then record deletions. A login whose record could not be written is
// skipped, and so is the deletion of a record whose session is still logged in. Without a
// probe every session gets a process of its own (BatchShape::kSingle).
ExecResult Execute(const Plan& plan, const RecordStore& store, CommandRunner& runner,
                   const ExecOptions& options, const ProgressFn& progress,
                   const SessionProbe& probe = {});

}  // namespace iscsictl
