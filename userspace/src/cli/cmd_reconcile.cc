#include "cli/cmd_reconcile.h"

#include "cli/test_seams.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <ostream>

#include "base/exit_status.h"
#include "base/names.h"
#include "base/portal.h"
#include "cli/multipath_advice.h"
#include "report/plan_text.h"

namespace iscsictl {
namespace {

// What gathering went on without: one line each, before anything else is said.
void PrintWarnings(const Gathered& in, std::ostream& err) {
  for (const std::string& w : in.warnings) {
    err << "iscsictl: " << w << "\n";
  }
}

void PrintErrors(const ConfigErrors& errors, std::ostream& err) {
  for (const ConfigError& e : errors) {
    err << e.ToString() << "\n";
  }
}

// The exit status of a run that stopped before carrying anything out, with why.
std::optional<int> Stopped(const ReconcileRun& run, std::ostream& err) {
  switch (run.stop) {
    case ReconcileRun::Stop::kNone:
      return std::nullopt;
    case ReconcileRun::Stop::kLock:
      err << "iscsictl: " << run.error << "\n";
      return kExitEnvironment;
    case ReconcileRun::Stop::kInputs:
      PrintErrors(run.inputs.errors, err);
      return kExitBadInput;
    case ReconcileRun::Stop::kRefused:
      err << "iscsictl: " << run.error << "\n";
      return kExitBadInput;
    case ReconcileRun::Stop::kIscsid:
      err << "iscsictl: " << run.error << "; nothing changed\n";
      return kExitEnvironment;
  }
  return std::nullopt;
}

// The notes that keep the host from converging (Plan::Blocked), one line each.
void PrintBlockingNotes(const Plan& plan, std::ostream& err) {
  for (const Note& n : plan.notes) {
    if (n.kind != NoteKind::kForeign && n.kind != NoteKind::kRecovery &&
        n.kind != NoteKind::kStale) {
      err << fmt::format("iscsictl: {}: {}{}\n", NoteName(n.kind),
                         n.key.target.empty() ? "" : n.key.ToString() + ": ", n.text);
    }
  }
}

// After CarryOut: what an admin must decide, then the summary; the exit status.
int Report(const ReconcileRun& run, std::ostream& err) {
  if (std::optional<int> status = Stopped(run, err)) {
    return *status;
  }
  const Plan& plan = run.plan;
  PrintBlockingNotes(plan, err);
  size_t failed = run.Failed();
  size_t skipped = run.Skipped();
  if (failed == 0 && skipped == 0) {
    if (!plan.actions.empty()) {
      err << fmt::format("iscsictl: {} action{} done\n", plan.actions.size(),
                         plan.actions.size() == 1 ? "" : "s");
    }
    return plan.Blocked() ? kExitBlocked : kExitOk;
  }
  err << fmt::format("iscsictl: partial failure: {} of {} actions failed, {} skipped:\n", failed,
                     plan.actions.size(), skipped);
  for (const ActionOutcome& o : run.exec->outcomes) {
    if (!o.ok) {
      const Action& a = plan.actions[o.index];
      err << fmt::format("  {} {}: {}{}\n", ActionName(a.kind), a.Subject(),
                         o.skipped ? "skipped: " : "", o.detail);
    }
  }
  return kExitFailure;
}

// iscsictl sessions no command may touch: the foreign ones that match, for the message.
size_t ForeignMatches(const Observed& observed, const Scope& scope) {
  size_t n = 0;
  for (const ObservedSession& s : observed.sessions) {
    n += scope.Matches(s.key) && !IsOwnedIface(s.key.iface) ? 1 : 0;
  }
  return n;
}

}  // namespace

ReconcileCommands::ReconcileCommands(CLI::App& app, const std::string& config_path)
    : config_path_(config_path) {
  auto common = [&](CLI::App* c) {
    AddTestSeam(c, "--sysfs-root", env_.sysfs_root, "Read sysfs below this directory");
    AddTestSeam(c, "--iscsi-root", env_.iscsi_root, "open-iscsi database directory");
    AddTestSeam(c, "--lock", env_.lock_path, "Lock file");
    AddTestSeam(c, "--iscsiadm", env_.exec.iscsiadm, "iscsiadm to run");
    // How wide one iscsiadm invocation may be (scripts/bench measures the shapes).
    c->add_option("--batch", env_.exec.batch, "iface, target or single")
        ->transform(CLI::CheckedTransformer(
            std::map<std::string, BatchShape>{{"iface", BatchShape::kIface},
                                              {"target", BatchShape::kTarget},
                                              {"single", BatchShape::kSingle}}))
        ->group("");
  };
  plan_ = app.add_subcommand("plan",
                             "Show what apply would do (dry run), with a reason for each action");
  plan_->add_flag("--json", json_, "JSON output");
  common(plan_);
  apply_ = app.add_subcommand("apply", "Converge the host's sessions to the config");
  reload_ = app.add_subcommand("reload", "Re-read the config and converge (as apply)");
  for (CLI::App* c : {apply_, reload_}) {
    c->add_flag("--force", force_, "Also log out the last path of a disk that is in use");
    c->add_option("-j,--jobs", jobs_, "Concurrent logins")
        ->capture_default_str()
        ->check(CLI::Range(1, 64));
    common(c);
  }

  login_ = app.add_subcommand("login", "Log in the configured session(s) matching -T/-p/-I");
  logout_ = app.add_subcommand("logout", "Log out iscsictl's session(s) matching -T/-p/-I");
  for (CLI::App* c : {login_, logout_}) {
    c->add_option("-T,--targetname", target_, "Target IQN");
    c->add_option("-p,--portal", portal_, "Portal address[:port]");
    c->add_option("-I,--interface", iface_, "NIC MAC, netdev name or iface record name");
    c->add_option("-j,--jobs", jobs_, "Concurrent logins")->check(CLI::Range(1, 64))->group("");
    common(c);
  }
  logout_->add_flag("--force", force_, "Log out even the last path of a disk that is in use");
  for (CLI::App* c : {apply_, reload_, login_}) {
    c->add_option("--path-wait", path_wait_s_,
                  "Seconds to wait after logins for the new paths in multipath maps (0: no "
                  "wait; default: the config's multipath.path_wait, else 15 with multipathd)")
        ->check(CLI::Range(0, 600));
  }
  discover_ = app.add_subcommand(
      "discover", "SendTargets discovery through one NIC or HBA; prints a config snippet");
  discover_->add_option("-p,--portal", portal_, "Discovery portal address[:port]")->required();
  discover_->add_option("-I,--interface", iface_, "NIC (MAC or netdev name) to discover through");
  discover_->add_option("-H,--host", host_, "iSCSI host (hostN or N) to discover through")
      ->excludes("-I");
  common(discover_);
  // The original request's spellings (with -m node).
  app.add_option("-T,--targetname", target_, "With -m node: target IQN")->group("");
  app.add_option("-p,--portal", portal_, "With -m node: portal")->group("");
  app.add_option("-I,--interface", iface_, "With -m node: NIC MAC / netdev / iface")->group("");
  app.add_flag("--login", m_login_, "With -m node: log in (as `login`)")->group("");
  app.add_flag("--logout", m_logout_, "With -m node: log out (as `logout`)")->group("");
  app.add_flag("--reload", m_reload_, "With -m node: converge the target (as `reload`)")->group("");
}

std::optional<int> ReconcileCommands::Run(const std::string& mode, std::ostream& out,
                                          std::ostream& err) {
  env_.config_path = config_path_;
  env_.exec.jobs = jobs_;
  if (path_wait_s_ >= 0) {
    env_.exec.path_wait_override = std::chrono::seconds(path_wait_s_);
  }
  if (plan_->parsed()) {
    return RunPlan(out, err);
  }
  if (apply_->parsed() || reload_->parsed()) {
    return RunApply({}, err);
  }
  if (login_->parsed()) {
    return RunLogin(err);
  }
  if (logout_->parsed()) {
    return RunLogout(err);
  }
  if (discover_->parsed()) {
    return RunDiscover(out, err);
  }
  if (mode == "node") {
    return RunNodeMode(err);
  }
  if (m_login_ || m_logout_ || m_reload_ || !target_.empty() || !portal_.empty() ||
      !iface_.empty()) {
    err << "iscsictl: -T/-p/-I/--login/--logout/--reload need -m node (or use the login, "
           "logout, reload commands)\n";
    return kExitBadInput;
  }
  return std::nullopt;
}

int ReconcileCommands::RunNodeMode(std::ostream& err) {
  if (int(m_login_) + int(m_logout_) + int(m_reload_) != 1) {
    err << "iscsictl: -m node needs exactly one of --login, --logout, --reload\n";
    return kExitBadInput;
  }
  if (m_login_) {
    return RunLogin(err);
  }
  if (m_logout_) {
    return RunLogout(err);
  }
  if (target_.empty()) {
    err << "iscsictl: -m node --reload needs -T TARGET\n";
    return kExitBadInput;
  }
  Scope scope;
  scope.target = target_;
  if (!portal_.empty() && !ParsePortal(portal_, scope.address, scope.port)) {
    err << "iscsictl: -p " << portal_ << ": not a portal (address[:port])\n";
    return kExitBadInput;
  }
  return RunApply(scope, err);
}

int ReconcileCommands::CarryOutAndReport(ReconcileRun& run, std::ostream& err) {
  CarryOut(run, env_, runner_,
           [&](const std::string& line) { err << "iscsictl: " << line << "\n"; });
  return Report(run, err);
}

int ReconcileCommands::RunPlan(std::ostream& out, std::ostream& err) {
  Gathered in = Gather(env_);
  PrintWarnings(in, err);
  if (!in.ok()) {
    PrintErrors(in.errors, err);
    return kExitBadInput;
  }
  if (env_.sysfs_root == "/") {
    (void)PrintMultipathAdvice(in.loaded.sessions, RealMultipathIo(), err);
  }
  Plan plan = MakePlan(in.bindings, in.observed, {});
  if (AddLogoutDiskUse(env_, plan, in)) {
    plan = MakePlan(in.bindings, in.observed, {});
  }
  out << (json_ ? PlanToJson(plan) + "\n" : FormatPlan(plan));
  return kExitOk;
}

int ReconcileCommands::RunApply(const Scope& scope, std::ostream& err) {
  PlanOptions options;
  options.scope = scope;
  options.force = force_;
  ReconcileRun run = Prepare(env_, [&](const Gathered& in, Plan& plan) {
    plan = MakePlan(in.bindings, in.observed, options);
    return std::optional<std::string>();
  });
  PrintWarnings(run.inputs, err);
  if (std::optional<int> status = Stopped(run, err)) {
    return *status;
  }
  if (!run.plan.Empty()) {
    return CarryOutAndReport(run, err);
  }
  PrintBlockingNotes(run.plan, err);
  if (!run.plan.Blocked()) {
    err << "iscsictl: converged, nothing to do\n";
    return kExitOk;
  }
  err << "iscsictl: nothing to do now, but not converged (see the notes)\n";
  return kExitBlocked;
}

std::optional<std::string> ReconcileCommands::MakeScope(const Gathered& in, Scope& scope) const {
  if (target_.empty()) {
    return "-T TARGET is required";
  }
  scope.target = target_;
  if (!portal_.empty() && !ParsePortal(portal_, scope.address, scope.port)) {
    return fmt::format("-p {}: not a portal (address[:port])", portal_);
  }
  if (iface_.empty()) {
    return std::nullopt;
  }
  if (const NicInfo* nic = FindNicByNameOrMac(in.nics, iface_)) {
    scope.iface = OwnedIfaceName(nic->mac);
  } else if (IsMacAddress(iface_)) {
    scope.iface = OwnedIfaceName(iface_);  // a NIC that is gone may still have sessions
  } else if (iface_ == "default") {
    scope.iface = std::string(kDefaultOwnedIface);
  } else if (in.observed.records.ifaces.count(iface_) != 0) {
    scope.iface = iface_;
  } else {
    return fmt::format("-I {}: no such NIC (by name or MAC) or iface record", iface_);
  }
  return std::nullopt;
}

int ReconcileCommands::RunLogin(std::ostream& err) {
  ReconcileRun run =
      Prepare(env_, [&](const Gathered& in, Plan& plan) -> std::optional<std::string> {
        PlanOptions options;
        options.allow_logout = false;
        if (std::optional<std::string> bad = MakeScope(in, options.scope)) {
          return bad;
        }
        bool known =
            std::any_of(in.bindings.begin(), in.bindings.end(),
                        [&](const DesiredBinding& b) { return options.scope.Matches(b.key); });
        if (!known) {
          return fmt::format(
              "no session of {} matches -T {}{}{}; the config is the list of sessions iscsictl "
              "makes",
              env_.config_path, target_, portal_.empty() ? "" : " -p " + portal_,
              iface_.empty() ? "" : " -I " + iface_);
        }
        plan = MakePlan(in.bindings, in.observed, options);
        return std::nullopt;
      });
  PrintWarnings(run.inputs, err);
  if (std::optional<int> status = Stopped(run, err)) {
    return *status;
  }
  if (run.plan.Empty() && run.plan.Blocked()) {
    PrintBlockingNotes(run.plan, err);
    return kExitBlocked;
  }
  if (run.plan.Empty()) {
    err << "iscsictl: already logged in, nothing to do\n";
    return kExitOk;
  }
  return CarryOutAndReport(run, err);
}

int ReconcileCommands::RunLogout(std::ostream& err) {
  env_.need_config = std::filesystem::exists(env_.config_path);
  ReconcileRun run =
      Prepare(env_, [&](const Gathered& in, Plan& plan) -> std::optional<std::string> {
        Scope scope;
        if (std::optional<std::string> bad = MakeScope(in, scope)) {
          return bad;
        }
        plan = MakeLogoutPlan(in.observed, scope, force_);
        if (!plan.Empty() || plan.Blocked()) {
          return std::nullopt;
        }
        size_t foreign = ForeignMatches(in.observed, scope);
        if (foreign == 0) {
          return "no session matches";
        }
        return fmt::format("the {} matching session{} {} not made by iscsictl; use iscsiadm",
                           foreign, foreign == 1 ? "" : "s", foreign == 1 ? "was" : "were");
      });
  PrintWarnings(run.inputs, err);
  return CarryOutAndReport(run, err);
}

}  // namespace iscsictl
