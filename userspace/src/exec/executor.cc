#include "exec/executor.h"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <set>
#include <thread>

namespace iscsictl {
namespace {

// iscsiadm exit statuses (open-iscsi include/iscsi_err.h) that mean "already done".
constexpr int kErrSessExists = 15;
constexpr int kErrNoObjsFound = 21;

// "login 3/8 <subject>: ok (0.4 s)" lines, one per finished session action, numbered in the
// order they finish (workers call Done concurrently). Deferred: kept until Flush (the
// logins' lines wait for the path wait, whose verdicts they carry).
class Progress {
 public:
  Progress(const ProgressFn& sink, size_t total, std::string_view what, bool defer)
      : sink_(sink), total_(total), what_(what), defer_(defer) {}
  void Done(const std::string& subject, const ActionOutcome& o) {
    std::lock_guard<std::mutex> lock(mu_);
    ++done_;
    if (defer_) {
      held_.push_back({done_, subject, o.index});
    } else if (sink_) {
      sink_(Line(done_, subject, o));
    }
  }
  // The held lines, in the order their actions finished, with the outcomes as they are now.
  void Flush(const ExecResult& result) {
    for (const Held& h : held_) {
      if (sink_) {
        sink_(Line(h.n, h.subject, result.outcomes[h.index]));
      }
    }
    held_.clear();
  }

 private:
  struct Held {
    size_t n;
    std::string subject;
    size_t index;
  };
  std::string Line(size_t n, const std::string& subject, const ActionOutcome& o) const {
    std::string remark = o.detail;
    if (!o.path.empty()) {
      remark += (remark.empty() ? "" : ", ") + o.path;
      if (o.path_active) {
        remark += fmt::format(" after {:.1f} s", o.path_seconds);
      }
    }
    return fmt::format("{} {}/{} {}: {} ({:.1f} s)", what_, n, total_, subject,
                       o.ok ? (remark.empty() ? "ok" : "ok, " + remark) : "FAILED: " + o.detail,
                       o.seconds);
  }

  const ProgressFn& sink_;
  size_t total_;
  std::string what_;
  bool defer_;
  size_t done_ = 0;
  std::vector<Held> held_;
  std::mutex mu_;
};

ActionOutcome RunSession(const Action& a, CommandRunner& runner, const ExecOptions& options) {
  ActionOutcome o;
  ProcessSpec spec;
  if (a.kind == ActionKind::kLogin) {
    spec.argv = LoginArgv(options.iscsiadm, a.key);
    spec.timeout = options.login_timeout;
  } else {
    spec.argv = LogoutArgv(options.iscsiadm, a.sid);
    spec.timeout = options.logout_timeout;
  }
  ProcessResult r = runner.Run(spec);
  o.seconds = r.seconds;
  o.ok = r.Ok();
  if (!o.ok && r.started && !r.timed_out && r.signal == 0) {
    if (a.kind == ActionKind::kLogin && r.exit_code == kErrSessExists) {
      o.ok = true;
      o.detail = "already logged in";
    } else if (a.kind == ActionKind::kLogout && r.exit_code == kErrNoObjsFound) {
      o.ok = true;
      o.detail = "already gone";
    }
  }
  if (!o.ok) {
    o.detail = r.Describe();
  }
  return o;
}

// How an invocation ended ("exit 8"), without its text: that covers every session of a
// batch, and each member's own result comes from the kernel.
std::string ExitOf(const ProcessResult& r) {
  if (!r.started) {
    return r.error;
  }
  if (r.timed_out) {
    return r.TimeoutText();
  }
  if (r.signal != 0) {
    return fmt::format("killed by signal {}", r.signal);
  }
  return fmt::format("exit {}", r.exit_code);
}

bool SameSession(const NodeKey& a, const NodeKey& b) {
  return a.target == b.target && a.address == b.address && a.port == b.port &&
         a.iface == b.iface;
}

// How many members of a batch the kernel shows done: logged in (a login), gone (a logout).
size_t MembersDone(const Plan& plan, const Batch& b, ActionKind kind,
                   const std::vector<ObservedSession>& live) {
  size_t done = 0;
  for (size_t m : b.members) {
    const Action& a = plan.actions[m];
    if (kind == ActionKind::kLogin) {
      done += std::any_of(live.begin(), live.end(),
                          [&](const ObservedSession& s) {
                            return SameSession(s.key, a.key) && s.state == "LOGGED_IN";
                          })
                  ? 1
                  : 0;
    } else {
      done += std::none_of(live.begin(), live.end(),
                           [&](const ObservedSession& s) { return s.sid == a.sid; })
                  ? 1
                  : 0;
    }
  }
  return done;
}

// The progress test of a batch's iscsiadm (ProcessSpec::progressed): true when the kernel
// shows more of its members done than at the last look. iscsid works through a batch at its
// own pace (256 logins took it 698 s on one slow CPU): a batch is stopped when it stalls,
// not because it is long.
std::function<bool()> BatchProgress(const Plan& plan, const Batch& b, ActionKind kind,
                                    const SessionProbe& probe) {
  if (!probe) {
    return {};
  }
  auto best = std::make_shared<size_t>(0);
  return [&plan, &b, kind, &probe, best] {
    size_t done = MembersDone(plan, b, kind, probe());
    if (done <= *best) {
      return false;
    }
    *best = done;
    return true;
  };
}

// The outcome of each member of a batch of several sessions: iscsiadm's exit status when it
// succeeded, else what the kernel shows now (probe), session by session.
std::vector<ActionOutcome> BatchOutcomes(const Plan& plan, const Batch& b, ActionKind kind,
                                         const ProcessResult& r, const SessionProbe& probe) {
  std::vector<ActionOutcome> out(b.members.size());
  for (ActionOutcome& o : out) {
    o.seconds = r.seconds;
    o.ok = r.Ok();
  }
  if (r.Ok()) {
    return out;
  }
  std::vector<ObservedSession> live = probe ? probe() : std::vector<ObservedSession>{};
  std::string why = ExitOf(r);
  for (size_t m = 0; m < b.members.size(); ++m) {
    const Action& a = plan.actions[b.members[m]];
    ActionOutcome& o = out[m];
    if (kind == ActionKind::kLogin) {
      auto it = std::find_if(live.begin(), live.end(), [&](const ObservedSession& s) {
        return SameSession(s.key, a.key);
      });
      if (it != live.end() && it->state == "LOGGED_IN") {
        o.ok = true;
      } else if (it != live.end()) {
        o.detail = fmt::format("{}: session {} is {} after the batch login", why, it->sid,
                               it->state);
      } else {
        o.detail = fmt::format("{}: no session after the batch login", why);
      }
    } else {
      auto it = std::find_if(live.begin(), live.end(),
                             [&](const ObservedSession& s) { return s.sid == a.sid; });
      if (it == live.end()) {
        o.ok = true;
      } else {
        o.detail = fmt::format("{}: session still there after the batch logout", why);
      }
    }
  }
  return out;
}

// Runs the batches (at most options.jobs invocations at once) and reports every member.
void RunBatches(const Plan& plan, const std::vector<Batch>& batches, ActionKind kind,
                CommandRunner& runner, const ExecOptions& options, const SessionProbe& probe,
                Progress& progress, ExecResult& result) {
  std::atomic<size_t> next{0};
  auto worker = [&] {
    for (size_t i = next++; i < batches.size(); i = next++) {
      const Batch& b = batches[i];
      std::vector<ActionOutcome> outcomes;
      if (b.members.size() == 1) {
        outcomes.push_back(RunSession(plan.actions[b.members[0]], runner, options));
      } else {
        ProcessSpec spec;
        const bool login = kind == ActionKind::kLogin;
        spec.argv = login ? LoginBatchArgv(options.iscsiadm, b)
                          : LogoutBatchArgv(options.iscsiadm, b);
        // iscsid runs them concurrently, but iscsiadm waits for each reply in turn: the time
        // allowed without progress (one session more done, as the kernel shows it).
        spec.timeout = (login ? options.login_timeout : options.logout_timeout) +
                       std::chrono::seconds(2 * static_cast<long>(b.members.size()));
        spec.progressed = BatchProgress(plan, b, kind, probe);
        spec.check_every = options.progress_every;
        outcomes = BatchOutcomes(plan, b, kind, runner.Run(spec), probe);
      }
      for (size_t m = 0; m < b.members.size(); ++m) {
        outcomes[m].index = b.members[m];
        result.outcomes[b.members[m]] = outcomes[m];
        progress.Done(plan.actions[b.members[m]].Subject(), outcomes[m]);
      }
    }
  };
  size_t n = std::min<size_t>(std::max(options.jobs, 1), batches.size());
  std::vector<std::thread> threads;
  for (size_t t = 1; t < n; ++t) {
    threads.emplace_back(worker);
  }
  if (n > 0) {
    worker();
  }
  for (std::thread& t : threads) {
    t.join();
  }
}

// Carries out the record actions (writes and deletions) of a plan and keeps their outcomes.
class RecordSteps {
 public:
  RecordSteps(const Plan& plan, const RecordStore& store, const ProgressFn& progress,
              ExecResult& result)
      : plan_(plan), store_(store), progress_(progress), result_(result) {}

  // Every record write; returns the indices of the logins whose records are all written
  // (the others are marked skipped).
  std::vector<size_t> WriteAll() {
    std::set<std::string> bad_ifaces;
    std::set<NodeKey> bad_nodes;
    for (size_t i = 0; i < plan_.actions.size(); ++i) {
      const Action& a = plan_.actions[i];
      if (a.kind == ActionKind::kWriteIface &&
          !Done(i, store_.WriteIface({a.key.iface, a.fields}))) {
        bad_ifaces.insert(a.key.iface);
      } else if (a.kind == ActionKind::kWriteNode &&
                 !Done(i, store_.WriteNode({a.key, a.fields}))) {
        bad_nodes.insert(a.key);
      }
    }
    std::vector<size_t> runnable;
    for (size_t i = 0; i < plan_.actions.size(); ++i) {
      const Action& a = plan_.actions[i];
      if (a.kind != ActionKind::kLogin) {
        continue;
      }
      if (bad_ifaces.count(a.key.iface) != 0 || bad_nodes.count(a.key) != 0) {
        Skip(i, "its record could not be written");
      } else {
        runnable.push_back(i);
      }
    }
    return runnable;
  }

  // Every record deletion, but not of the records of sessions whose logout failed, nor of
  // iface records a remaining node record uses.
  void DeleteAll(const std::set<int>& failed_logouts) {
    std::set<std::string> kept_ifaces;
    for (size_t i = 0; i < plan_.actions.size(); ++i) {
      const Action& a = plan_.actions[i];
      if (a.kind == ActionKind::kDeleteNode) {
        if (a.sid >= 0 && failed_logouts.count(a.sid) != 0) {
          Skip(i, fmt::format("session {} is still logged in", a.sid));
          kept_ifaces.insert(a.key.iface);
        } else if (!Done(i, store_.DeleteNode(a.key))) {
          kept_ifaces.insert(a.key.iface);
        }
      } else if (a.kind == ActionKind::kDeleteIface) {
        if (kept_ifaces.count(a.key.iface) != 0) {
          Skip(i, "a node record still uses it");
        } else {
          Done(i, store_.DeleteIface(a.key.iface));
        }
      }
    }
  }

 private:
  bool Done(size_t i, const std::optional<std::string>& error) {
    ActionOutcome& o = result_.outcomes[i];
    o.ok = !error;
    o.detail = error.value_or("");
    if (progress_) {
      const Action& a = plan_.actions[i];
      progress_(fmt::format("{} {}: {}", ActionName(a.kind), a.Subject(),
                            o.ok ? "ok" : "FAILED: " + o.detail));
    }
    return o.ok;
  }
  void Skip(size_t i, std::string why) {
    result_.outcomes[i].skipped = true;
    result_.outcomes[i].detail = std::move(why);
  }

  const Plan& plan_;
  const RecordStore& store_;
  const ProgressFn& progress_;
  ExecResult& result_;
};

std::vector<size_t> IndicesOf(const Plan& plan, ActionKind kind) {
  std::vector<size_t> out;
  for (size_t i = 0; i < plan.actions.size(); ++i) {
    if (plan.actions[i].kind == kind) {
      out.push_back(i);
    }
  }
  return out;
}

}  // namespace

size_t ExecResult::Failed() const {
  return static_cast<size_t>(
      std::count_if(outcomes.begin(), outcomes.end(),
                    [](const ActionOutcome& o) { return !o.ok && !o.skipped; }));
}

size_t ExecResult::Skipped() const {
  return static_cast<size_t>(std::count_if(outcomes.begin(), outcomes.end(),
                                           [](const ActionOutcome& o) { return o.skipped; }));
}

std::vector<std::string> LoginArgv(const std::string& iscsiadm, const NodeKey& key) {
  return {iscsiadm,        "-m", "node",    "-T",     key.target, "-p",
          key.PortalArg(), "-I", key.iface, "--login"};
}

std::vector<std::string> LogoutArgv(const std::string& iscsiadm, int sid) {
  return {iscsiadm, "-m", "session", "-r", std::to_string(sid), "--logout"};
}

ExecResult Execute(const Plan& plan, const RecordStore& store, CommandRunner& runner,
                   const ExecOptions& options, const ProgressFn& progress,
                   const SessionProbe& probe, const PathWaitFn& path_wait) {
  ExecResult result;
  result.outcomes.resize(plan.actions.size());
  for (size_t i = 0; i < plan.actions.size(); ++i) {
    result.outcomes[i].index = i;
  }
  // Without a probe a failed batch could not be attributed: one process per session.
  const BatchShape shape = probe ? options.batch : BatchShape::kSingle;
  RecordSteps records(plan, store, progress, result);
  std::vector<size_t> logins = records.WriteAll();
  if (!logins.empty()) {
    const bool wait = path_wait && options.path_wait.count() > 0;
    Progress login_progress(progress, logins.size(), ActionName(ActionKind::kLogin), wait);
    // The records iscsiadm will match, as they are now (this plan's writes included).
    std::vector<std::string> unreadable;
    std::set<NodeKey> on_disk;
    if (shape != BatchShape::kSingle) {
      for (const auto& [key, rec] : store.Read(&unreadable).nodes) {
        on_disk.insert(key);
      }
    }
    // A record that cannot be read could be one a filter matches: no batch then.
    RunBatches(plan,
               LoginBatches(plan, logins, on_disk,
                            unreadable.empty() ? shape : BatchShape::kSingle),
               ActionKind::kLogin, runner, options, probe, login_progress, result);
    if (wait) {
      result.path_note = path_wait(plan, logins, result, progress);
      if (!result.path_note.empty() && progress) {
        progress(result.path_note);
      }
      login_progress.Flush(result);
    }
  }
  std::vector<size_t> logouts = IndicesOf(plan, ActionKind::kLogout);
  if (!logouts.empty()) {
    std::vector<ObservedSession> live;
    if (shape != BatchShape::kSingle) {
      live = probe();
    }
    Progress logout_progress(progress, logouts.size(), ActionName(ActionKind::kLogout), false);
    RunBatches(plan, LogoutBatches(plan, logouts, live, shape), ActionKind::kLogout, runner,
               options, probe, logout_progress, result);
  }
  std::set<int> failed_logouts;
  for (size_t i : logouts) {
    if (!result.outcomes[i].ok) {
      failed_logouts.insert(plan.actions[i].sid);
    }
  }
  records.DeleteAll(failed_logouts);
  return result;
}

}  // namespace iscsictl
