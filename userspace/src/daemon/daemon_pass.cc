#include "daemon/daemon_pass.h"

#include <fmt/format.h>

#include <algorithm>

#include "base/exit_status.h"
#include "base/portal.h"
#include "model/records.h"

namespace iscsictl {
namespace {

using Fields = std::vector<std::pair<std::string, std::string>>;

void AddKey(Fields& f, const NodeKey& k) {
  if (!k.target.empty()) {
    f.emplace_back("target", k.target);
    f.emplace_back("portal", FormatPortal(k.address, k.port));
  }
  f.emplace_back("iface", k.iface);
}

}  // namespace

std::optional<Clock::time_point> HoldRemovedNicLogouts(
    Plan& plan, const std::set<std::string>& present_ifaces,
    std::map<std::string, Clock::time_point>& gone_since, std::chrono::seconds grace,
    Clock::time_point now, const LogFn& log) {
  auto gone = [&](const std::string& iface) {
    return IsOwnedIface(iface) && iface != kDefaultOwnedIface && present_ifaces.count(iface) == 0;
  };
  // Forget NICs that came back.
  for (auto it = gone_since.begin(); it != gone_since.end();) {
    it = present_ifaces.count(it->first) != 0 ? gone_since.erase(it) : std::next(it);
  }
  std::optional<Clock::time_point> wake;
  std::set<std::string> held;
  for (const Action& a : plan.actions) {
    if (a.kind != ActionKind::kLogout || !gone(a.key.iface)) continue;
    auto [it, fresh] = gone_since.emplace(a.key.iface, now);
    (void)fresh;
    Clock::time_point until = it->second + grace;
    if (now < until) {
      held.insert(a.key.iface);
      wake = wake ? std::min(*wake, until) : until;
    }
  }
  if (held.empty()) return std::nullopt;
  std::vector<Action> kept;
  for (Action& a : plan.actions) {
    bool hold = held.count(a.key.iface) != 0 &&
                (a.kind == ActionKind::kLogout || a.kind == ActionKind::kDeleteNode ||
                 a.kind == ActionKind::kDeleteIface);
    if (!hold) {
      kept.push_back(std::move(a));
      continue;
    }
    if (a.kind == ActionKind::kLogout && log) {
      Fields f{{"action", "logout"}};
      AddKey(f, a.key);
      f.emplace_back("sid", std::to_string(a.sid));
      f.emplace_back("reason", "NIC removed; held for --removed-nic-grace");
      f.emplace_back("result", "deferred");
      f.emplace_back("for_s", std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                                                  gone_since[a.key.iface] + grace - now)
                                                  .count()));
      log(f);
    }
  }
  plan.actions = std::move(kept);
  return wake;
}

namespace {

// Gathering's diagnostics: warnings always, errors when the pass stops on them.
void LogInputs(const Gathered& in, const LogFn& log) {
  for (const std::string& w : in.warnings) {
    log({{"event", "warning"}, {"detail", w}});
  }
  for (const ConfigError& e : in.errors) {
    log({{"event", "reconcile-input"}, {"detail", e.ToString()}});
  }
}

// Notes as log records. An absent NIC or a conflict is a steady state until the NIC
// appears or the config changes: logged when it first shows, not again each pass.
void LogNotes(const Plan& plan, std::set<std::string>& steady, const LogFn& log) {
  std::set<std::string> now;
  for (const Note& n : plan.notes) {
    if (n.kind == NoteKind::kForeign) continue;
    Fields f{{"note", std::string(NoteName(n.kind))}};
    AddKey(f, n.key);
    if (n.sid >= 0) f.emplace_back("sid", std::to_string(n.sid));
    f.emplace_back("text", n.text);
    if (n.kind == NoteKind::kAbsent || n.kind == NoteKind::kConflict) {
      std::string id = n.key.ToString() + "\n" + n.text;
      now.insert(id);
      if (steady.count(id) != 0) continue;
    }
    log(f);
  }
  steady = std::move(now);
}

void LogOutcomes(const Plan& plan, const ExecResult& result, const LogFn& log) {
  for (const ActionOutcome& o : result.outcomes) {
    const Action& a = plan.actions[o.index];
    Fields f{{"action", std::string(ActionName(a.kind))}};
    AddKey(f, a.key);
    if (a.sid >= 0) f.emplace_back("sid", std::to_string(a.sid));
    f.emplace_back("reason", a.reason);
    f.emplace_back("result", o.ok ? "ok" : o.skipped ? "skipped" : "failed");
    if (!o.detail.empty()) f.emplace_back("detail", o.detail);
    if (a.kind == ActionKind::kLogin || a.kind == ActionKind::kLogout) {
      f.emplace_back("secs", fmt::format("{:.1f}", o.seconds));
    }
    if (!o.path.empty()) {
      f.emplace_back("multipath", o.path);
      f.emplace_back("path_secs", fmt::format("{:.1f}", o.path_seconds));
    }
    log(f);
  }
}

std::string Summary(const ReconcileRun& run) {
  auto any = [&run](std::initializer_list<NoteKind> kinds) {
    return std::any_of(run.plan.notes.begin(), run.plan.notes.end(), [&](const Note& n) {
      return std::find(kinds.begin(), kinds.end(), n.kind) != kinds.end();
    });
  };
  if (run.Failed() > 0) return "partial";
  if (any({NoteKind::kKept, NoteKind::kProblem, NoteKind::kConflict})) return "blocked";
  // Waiting for a NIC (to appear, or for its address or carrier): an event will come.
  return any({NoteKind::kWaiting, NoteKind::kAbsent}) ? "waiting" : "converged";
}

}  // namespace

PassResult ReconcilePass(const ReconcileEnv& env, std::chrono::seconds removed_nic_grace,
                         PassState& state, CommandRunner& runner, const LogFn& log) {
  PassResult r;
  auto t0 = Clock::now();
  ReconcileRun run = Prepare(env, [&](const Gathered& in, Plan& plan) {
    plan = MakePlan(in.bindings, in.observed, {});
    if (removed_nic_grace.count() > 0) {
      std::set<std::string> present;
      for (const NicInfo& n : in.nics) present.insert(OwnedIfaceName(n.mac));
      r.wake = HoldRemovedNicLogouts(plan, present, state.gone_since, removed_nic_grace,
                                     Clock::now(), log);
    }
    return std::optional<std::string>();
  });
  LogInputs(run.inputs, log);
  if (run.stop == ReconcileRun::Stop::kLock) {
    log({{"event", "reconcile"}, {"result", "error"}, {"detail", run.error}});
    r.retry = true;
    return r;
  }
  if (run.stop == ReconcileRun::Stop::kInputs) {
    log({{"event", "reconcile"}, {"result", "error"}, {"status", std::to_string(kExitBadInput)}});
    r.retry = true;  // a secret file may be fixed later
    return r;
  }
  LogNotes(run.plan, state.logged_notes, log);
  r.actions = static_cast<int>(run.plan.actions.size());
  CarryOut(run, env, runner, nullptr);
  if (run.stop == ReconcileRun::Stop::kIscsid) {
    log({{"event", "reconcile"}, {"result", "error"}, {"detail", run.error}});
    r.retry = true;
    return r;
  }
  if (run.exec) {
    LogOutcomes(run.plan, *run.exec, log);
    if (!run.exec->path_note.empty()) {
      log({{"event", "path-wait"}, {"result", "skipped"}, {"detail", run.exec->path_note}});
    }
    for (const ActionOutcome& o : run.exec->outcomes) {
      r.outcomes.emplace_back(std::string(ActionName(run.plan.actions[o.index].kind)),
                              o.ok ? "ok" : o.skipped ? "skipped" : "failed");
    }
  }
  r.retry = run.Failed() > 0;
  r.converged = run.Failed() == 0;
  r.result = Summary(run);
  double secs = std::chrono::duration<double>(Clock::now() - t0).count();
  r.seconds = secs;
  log({{"event", "reconcile"},
       {"actions", std::to_string(run.plan.actions.size())},
       {"failed", std::to_string(run.Failed())},
       {"result", r.result},
       {"secs", fmt::format("{:.2f}", secs)}});
  return r;
}

}  // namespace iscsictl
