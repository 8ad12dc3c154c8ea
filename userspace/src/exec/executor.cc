#include "exec/executor.h"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <set>
#include <thread>

namespace iscsictl {
namespace {

// iscsiadm exit statuses (open-iscsi include/iscsi_err.h) that mean "already done".
constexpr int kErrSessExists = 15;
constexpr int kErrNoObjsFound = 21;

class Progress {
 public:
  Progress(const std::function<void(const std::string&)>& sink, size_t total, std::string_view what)
      : sink_(sink), total_(total), what_(what) {}
  void Done(const std::string& subject, const ActionOutcome& o) {
    std::lock_guard<std::mutex> lock(mu_);
    ++done_;
    if (sink_) {
      sink_(fmt::format(
          "{} {}/{} {}: {} ({:.1f} s)", what_, done_, total_, subject,
          o.ok ? (o.detail.empty() ? "ok" : "ok, " + o.detail) : "FAILED: " + o.detail, o.seconds));
    }
  }

 private:
  const std::function<void(const std::string&)>& sink_;
  size_t total_;
  std::string what_;
  size_t done_ = 0;
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

// Runs the session actions at `indices` with at most options.jobs at once.
void RunParallel(const Plan& plan, const std::vector<size_t>& indices, CommandRunner& runner,
                 const ExecOptions& options, Progress& progress, ExecResult& result) {
  std::atomic<size_t> next{0};
  auto worker = [&] {
    for (size_t i = next++; i < indices.size(); i = next++) {
      const Action& a = plan.actions[indices[i]];
      ActionOutcome o = RunSession(a, runner, options);
      o.index = indices[i];
      result.outcomes[indices[i]] = o;
      progress.Done(a.kind == ActionKind::kLogout
                        ? fmt::format("session {} ({})", a.sid, a.key.ToString())
                        : a.key.ToString(),
                    o);
    }
  };
  size_t n = std::min<size_t>(std::max(options.jobs, 1), indices.size());
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

}  // namespace

size_t ExecResult::Failed() const {
  return static_cast<size_t>(
      std::count_if(outcomes.begin(), outcomes.end(),
                    [](const ActionOutcome& o) { return !o.ok && !o.skipped; }));
}

std::vector<std::string> LoginArgv(const std::string& iscsiadm, const NodeKey& key) {
  return {iscsiadm,        "-m", "node",    "-T",     key.target, "-p",
          key.PortalArg(), "-I", key.iface, "--login"};
}

std::vector<std::string> LogoutArgv(const std::string& iscsiadm, int sid) {
  return {iscsiadm, "-m", "session", "-r", std::to_string(sid), "--logout"};
}

ExecResult Execute(const Plan& plan, const RecordStore& store, CommandRunner& runner,
                   const ExecOptions& options,
                   const std::function<void(const std::string&)>& progress) {
  ExecResult result;
  result.outcomes.resize(plan.actions.size());
  std::vector<size_t> logins, logouts;
  for (size_t i = 0; i < plan.actions.size(); ++i) {
    result.outcomes[i].index = i;
    switch (plan.actions[i].kind) {
      case ActionKind::kLogin:
        logins.push_back(i);
        break;
      case ActionKind::kLogout:
        logouts.push_back(i);
        break;
      default:
        break;
    }
  }
  auto record_step = [&](size_t i, const std::optional<std::string>& error) {
    const Action& a = plan.actions[i];
    ActionOutcome& o = result.outcomes[i];
    o.ok = !error;
    o.detail = error.value_or("");
    if (progress) {
      progress(fmt::format("{} {}: {}", ActionName(a.kind),
                           a.kind == ActionKind::kWriteIface || a.kind == ActionKind::kDeleteIface
                               ? a.key.iface
                               : a.key.ToString(),
                           o.ok ? "ok" : "FAILED: " + o.detail));
    }
  };
  // Records first: logins read them.
  for (size_t i = 0; i < plan.actions.size(); ++i) {
    const Action& a = plan.actions[i];
    if (a.kind == ActionKind::kWriteIface) {
      record_step(i, store.WriteIface({a.key.iface, a.fields}));
    } else if (a.kind == ActionKind::kWriteNode) {
      record_step(i, store.WriteNode({a.key, a.fields}));
    }
  }
  // A login whose records could not be written is not attempted.
  std::set<std::string> bad_ifaces;
  std::set<NodeKey> bad_nodes;
  for (size_t i = 0; i < plan.actions.size(); ++i) {
    const Action& a = plan.actions[i];
    if (!result.outcomes[i].ok && a.kind == ActionKind::kWriteIface) {
      bad_ifaces.insert(a.key.iface);
    } else if (!result.outcomes[i].ok && a.kind == ActionKind::kWriteNode) {
      bad_nodes.insert(a.key);
    }
  }
  std::vector<size_t> runnable;
  for (size_t i : logins) {
    const Action& a = plan.actions[i];
    if (bad_ifaces.count(a.key.iface) != 0 || bad_nodes.count(a.key) != 0) {
      result.outcomes[i].skipped = true;
      result.outcomes[i].detail = "its record could not be written";
    } else {
      runnable.push_back(i);
    }
  }
  Progress login_progress(progress, runnable.size(), "login");
  RunParallel(plan, runnable, runner, options, login_progress, result);
  Progress logout_progress(progress, logouts.size(), "logout");
  RunParallel(plan, logouts, runner, options, logout_progress, result);

  std::set<int> failed_logouts;
  for (size_t i : logouts) {
    if (!result.outcomes[i].ok) {
      failed_logouts.insert(plan.actions[i].sid);
    }
  }
  std::set<std::string> kept_ifaces;
  for (size_t i = 0; i < plan.actions.size(); ++i) {
    const Action& a = plan.actions[i];
    if (a.kind == ActionKind::kDeleteNode) {
      if (a.sid >= 0 && failed_logouts.count(a.sid) != 0) {
        result.outcomes[i].skipped = true;
        result.outcomes[i].detail = fmt::format("session {} is still logged in", a.sid);
        kept_ifaces.insert(a.key.iface);
      } else {
        record_step(i, store.DeleteNode(a.key));
        if (!result.outcomes[i].ok) {
          kept_ifaces.insert(a.key.iface);
        }
      }
    } else if (a.kind == ActionKind::kDeleteIface) {
      if (kept_ifaces.count(a.key.iface) != 0) {
        result.outcomes[i].skipped = true;
        result.outcomes[i].detail = "a node record still uses it";
      } else {
        record_step(i, store.DeleteIface(a.key.iface));
      }
    }
  }
  return result;
}

}  // namespace iscsictl
