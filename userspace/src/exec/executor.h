// Carries out a Plan: records through RecordStore, logins and logouts through iscsiadm
// (argv only, CommandRunner). Independent logins run in parallel with bounded
// concurrency; a failure does not stop the others. The caller holds the lock.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "base/process.h"
#include "plan/plan.h"
#include "store/record_store.h"

namespace iscsictl {

struct ExecOptions {
  int jobs = 8;  // concurrent logins/logouts
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

// Receives one line per finished action ("login 3/8 ...: ok (0.4 s)").
using ProgressFn = std::function<void(const std::string&)>;

// The iscsiadm argv of a login / logout (secrets never appear: they are in the record).
std::vector<std::string> LoginArgv(const std::string& iscsiadm, const NodeKey& key);
std::vector<std::string> LogoutArgv(const std::string& iscsiadm, int sid);

// Records first (logins read them), then logins (at most options.jobs at once), then
// logouts, then record deletions. A login whose record could not be written is skipped, and
// so is the deletion of a record whose session is still logged in.
ExecResult Execute(const Plan& plan, const RecordStore& store, CommandRunner& runner,
                   const ExecOptions& options, const ProgressFn& progress);

}  // namespace iscsictl
