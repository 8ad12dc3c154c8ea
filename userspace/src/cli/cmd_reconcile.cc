#include "cli/cmd_reconcile.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <ostream>
#include <sstream>

#include "base/exit_status.h"
#include "base/file_lock.h"
#include "base/names.h"
#include "base/process.h"
#include "report/plan_text.h"
#include "sources/nics.h"
#include "sources/sysfs_dir.h"

namespace iscsictl {
namespace {

std::vector<NicInfo> ReadNicsWarning(const std::string& root, std::ostream& err) {
  std::string warning;
  std::vector<NicInfo> nics = ReadNics(root, &warning);
  if (!warning.empty()) {
    err << "iscsictl: " << warning << "\n";
  }
  return nics;
}

}  // namespace
namespace {

// "10.0.0.1", "10.0.0.1:3260", "[fe80::1]:3260", "fe80::1" -> address and optional port.
bool ParsePortal(const std::string& text, std::string& address, std::optional<int>& port) {
  std::string rest;
  if (!text.empty() && text.front() == '[') {
    size_t close = text.find(']');
    if (close == std::string::npos) {
      return false;
    }
    address = text.substr(1, close - 1);
    rest = text.substr(close + 1);
  } else if (std::count(text.begin(), text.end(), ':') == 1) {
    size_t colon = text.find(':');
    address = text.substr(0, colon);
    rest = text.substr(colon);
  } else {
    address = text;
  }
  if (!rest.empty()) {
    if (rest.front() != ':') {
      return false;
    }
    int p = 0;
    auto [ptr, ec] = std::from_chars(rest.data() + 1, rest.data() + rest.size(), p);
    if (ec != std::errc() || ptr != rest.data() + rest.size() || p < 1 || p > 65535) {
      return false;
    }
    port = p;
  }
  return IsHost(address);
}

// The NIC named by a MAC or netdev name, or nullptr.
const NicInfo* FindNicByNameOrMac(const std::vector<NicInfo>& nics, const std::string& what) {
  for (const NicInfo& n : nics) {
    if (n.name == what || (IsMacAddress(what) && NormalizeMac(n.mac) == NormalizeMac(what))) {
      return &n;
    }
  }
  return nullptr;
}

std::optional<FileLock> Lock(const ReconcileEnv& env, std::ostream& err) {
  std::string error;
  std::optional<FileLock> lock = FileLock::Acquire(env.lock_path, env.lock_wait, error);
  if (!lock) {
    err << "iscsictl: " << error << "\n";
  }
  return lock;
}

// Takes the lock, then reads every input with it held (another apply may just have changed
// them). nullopt on success; else the exit status.
std::optional<int> LockAndGather(const ReconcileEnv& env, std::optional<FileLock>& lock,
                                 ReconcileInputs& in, std::ostream& err) {
  lock = Lock(env, err);
  if (!lock) {
    return kExitEnvironment;
  }
  return GatherInputs(env, in, err);
}

}  // namespace

ReconcileCommands::ReconcileCommands(CLI::App& app, const std::string& config_path)
    : config_path_(config_path) {
  auto common = [&](CLI::App* c) {
    c->add_option("--sysfs-root", env_.sysfs_root, "Read sysfs below this directory")->group("");
    c->add_option("--iscsi-root", env_.iscsi_root, "open-iscsi database directory")
        ->capture_default_str();
    c->add_option("--lock", env_.lock_path, "Lock file")->group("");
    c->add_option("--iscsiadm", env_.exec.iscsiadm, "iscsiadm to run (tests)")->group("");
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
  if (m_login_ || m_logout_ || m_reload_ || !target_.empty() || !portal_.empty() ||
      !iface_.empty()) {
    err << "iscsictl: -T/-p/-I/--login/--logout/--reload need -m node (or use the login, "
           "logout, reload commands)\n";
    return kExitBadInput;
  }
  return std::nullopt;
}

int ReconcileCommands::RunPlan(std::ostream& out, std::ostream& err) {
  ReconcileInputs in;
  if (std::optional<int> status = GatherInputs(env_, in, err)) {
    return *status;
  }
  Plan plan = MakePlan(in.bindings, in.observed, {});
  if (json_) {
    out << PlanToJson(plan) << "\n";
  } else {
    out << FormatPlan(plan);
  }
  return kExitOk;
}

int ReconcileCommands::RunApply(const Scope& scope, std::ostream& err) {
  std::optional<FileLock> lock;
  ReconcileInputs in;
  if (std::optional<int> status = LockAndGather(env_, lock, in, err)) {
    return *status;
  }
  PlanOptions options;
  options.scope = scope;
  options.force = force_;
  Plan plan = MakePlan(in.bindings, in.observed, options);
  if (plan.Empty()) {
    for (const Note& n : plan.notes) {
      if (n.kind == NoteKind::kKept || n.kind == NoteKind::kProblem) {
        err << fmt::format("iscsictl: {}: {}: {}\n", NoteName(n.kind), n.key.ToString(), n.text);
      }
    }
    if (!plan.Blocked()) {
      err << "iscsictl: converged, nothing to do\n";
    }
    return plan.Blocked() ? kExitBlocked : kExitOk;
  }
  return CarryOut(plan, env_, err);
}

bool ReconcileCommands::MakeScope(const ReconcileInputs& in, bool need_iface, Scope& scope,
                                  std::ostream& err) {
  if (target_.empty()) {
    err << "iscsictl: -T TARGET is required\n";
    return false;
  }
  scope.target = target_;
  if (!portal_.empty() && !ParsePortal(portal_, scope.address, scope.port)) {
    err << "iscsictl: -p " << portal_ << ": not a portal (address[:port])\n";
    return false;
  }
  if (iface_.empty()) {
    if (need_iface) {
      err << "iscsictl: -I NIC is required\n";
      return false;
    }
    return true;
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
    err << fmt::format("iscsictl: -I {}: no such NIC (by name or MAC) or iface record\n", iface_);
    return false;
  }
  return true;
}

int ReconcileCommands::RunLogin(std::ostream& err) {
  std::optional<FileLock> lock;
  ReconcileInputs in;
  if (std::optional<int> status = LockAndGather(env_, lock, in, err)) {
    return *status;
  }
  PlanOptions options;
  options.allow_logout = false;
  if (!MakeScope(in, false, options.scope, err)) {
    return kExitBadInput;
  }
  bool known = std::any_of(in.bindings.begin(), in.bindings.end(),
                           [&](const DesiredBinding& b) { return options.scope.Matches(b.key); });
  if (!known) {
    err << fmt::format(
        "iscsictl: no session of {} matches -T {}{}{}; the config is the list of "
        "sessions iscsictl makes\n",
        env_.config_path, target_, portal_.empty() ? "" : " -p " + portal_,
        iface_.empty() ? "" : " -I " + iface_);
    return kExitBadInput;
  }
  Plan plan = MakePlan(in.bindings, in.observed, options);
  if (plan.Empty()) {
    err << "iscsictl: already logged in, nothing to do\n";
    return plan.Blocked() ? kExitBlocked : kExitOk;
  }
  return CarryOut(plan, env_, err);
}

int ReconcileCommands::RunLogout(std::ostream& err) {
  env_.need_config = std::filesystem::exists(env_.config_path);
  std::optional<FileLock> lock;
  ReconcileInputs in;
  if (std::optional<int> status = LockAndGather(env_, lock, in, err)) {
    return *status;
  }
  Scope scope;
  if (!MakeScope(in, false, scope, err)) {
    return kExitBadInput;
  }
  Plan plan = MakeLogoutPlan(in.observed, scope, force_);
  if (plan.Empty() && !plan.Blocked()) {
    size_t foreign = 0;
    for (const LiveSession& s : in.observed.sessions) {
      NodeKey key = SessionKey(s);
      foreign += scope.Matches(key) && !IsOwnedIface(key.iface) ? 1 : 0;
    }
    err << (foreign > 0
                ? fmt::format("iscsictl: the {} matching session{} {} not made by "
                              "iscsictl; use iscsiadm\n",
                              foreign, foreign == 1 ? "" : "s", foreign == 1 ? "was" : "were")
                : std::string("iscsictl: no session matches\n"));
    return kExitBadInput;
  }
  return CarryOut(plan, env_, err);
}

int ReconcileCommands::RunDiscover(std::ostream& out, std::ostream& err) {
  std::optional<FileLock> lock = Lock(env_, err);
  if (!lock) {
    return kExitEnvironment;
  }
  Scope portal;
  if (!ParsePortal(portal_, portal.address, portal.port)) {
    err << "iscsictl: -p " << portal_ << ": not a portal (address[:port])\n";
    return kExitBadInput;
  }
  std::vector<NicInfo> nics = ReadNicsWarning(env_.sysfs_root, err);
  RecordStore store(env_.iscsi_root);
  std::string iface_name(kDefaultOwnedIface);
  std::string mac;
  if (!host_.empty()) {
    std::string n = host_.rfind("host", 0) == 0 ? host_.substr(4) : host_;
    SysfsDir host = SysfsDir::Open({}, env_.sysfs_root + "/sys/class/iscsi_host/host" + n);
    if (!host.Valid()) {
      err << fmt::format("iscsictl: -H {}: no such iSCSI host\n", host_);
      return kExitBadInput;
    }
    mac = host.Read("hba_hwaddress").value_or("");
    if (!IsMacAddress(mac)) {
      mac = host.Read("hwaddress").value_or("");
    }
    if (!IsMacAddress(mac)) {
      err << fmt::format("iscsictl: -H {}: the host reports no MAC (load iscsi_iface_attrs)\n",
                         host_);
      return kExitBadInput;
    }
    // An offload HBA has its own iface records; a software host is a NIC.
    RecordDb db = store.Read();
    iface_name.clear();
    for (const auto& [name, rec] : db.ifaces) {
      auto hw = rec.fields.find("iface.hwaddress");
      auto tr = rec.fields.find("iface.transport_name");
      if (hw != rec.fields.end() && NormalizeMac(hw->second) == NormalizeMac(mac) &&
          tr != rec.fields.end() && tr->second != "tcp") {
        iface_name = name;
      }
    }
  } else if (!iface_.empty()) {
    const NicInfo* nic = FindNicByNameOrMac(nics, iface_);
    if (nic == nullptr) {
      err << fmt::format("iscsictl: -I {}: no such NIC (by name or MAC)\n", iface_);
      return kExitBadInput;
    }
    mac = NormalizeMac(nic->mac);
    iface_name.clear();
  }
  if (iface_name.empty()) {
    iface_name = OwnedIfaceName(mac);
    if (auto e = store.WriteIface({iface_name, IfaceFields(iface_name, mac)})) {
      err << "iscsictl: " << *e << "\n";
      return kExitEnvironment;
    }
  } else if (iface_name == kDefaultOwnedIface) {
    if (auto e = store.WriteIface({iface_name, IfaceFields(iface_name, "")})) {
      err << "iscsictl: " << *e << "\n";
      return kExitEnvironment;
    }
  }
  if (std::optional<std::string> why = CheckIscsid()) {
    err << "iscsictl: " << *why << "\n";
    return kExitEnvironment;
  }
  NodeKey where;
  where.address = portal.address;
  where.port = portal.port.value_or(3260);
  std::string portal_arg = where.address.find(':') != std::string::npos
                               ? fmt::format("[{}]:{}", where.address, where.port)
                               : fmt::format("{}:{}", where.address, where.port);
  ProcessSpec spec;
  spec.argv = {env_.exec.iscsiadm, "-m", "discovery", "-t", "sendtargets",  "-p",
               portal_arg,         "-I", iface_name,  "-o", "nonpersistent"};
  spec.timeout = std::chrono::seconds(60);
  ProcessResult r = RunProcess(spec);
  if (!r.Ok()) {
    err << fmt::format("iscsictl: discovery at {} through {} failed: {}\n", portal_arg, iface_name,
                       r.Describe());
    return kExitFailure;
  }
  // Lines: "10.33.0.10:3260,1 iqn.2003-01.org.example:t1" -> a config snippet.
  using json = nlohmann::ordered_json;
  json targets = json::array();
  std::istringstream lines(r.out);
  std::string line;
  while (std::getline(lines, line)) {
    std::istringstream words(line);
    std::string p, name;
    if (!(words >> p >> name) || !IsIscsiName(name)) {
      continue;
    }
    size_t comma = p.rfind(',');
    std::string addr_port = p.substr(0, comma);
    int tpgt = comma == std::string::npos ? 1 : std::atoi(p.c_str() + comma + 1);
    std::string address;
    std::optional<int> port;
    if (!ParsePortal(addr_port, address, port)) {
      continue;
    }
    json t = {{"name", name},
              {"tpgt", tpgt},
              {"portal", {{"address", address}, {"port", port.value_or(3260)}}}};
    if (!IsOwnedIface(iface_name)) {
      t["sessions"] = json::array({{{"iface", {{"record", iface_name}}}}});  // offload HBA port
    } else if (!mac.empty()) {
      t["sessions"] = json::array({{{"iface", mac}}});
    }
    targets.push_back(t);
  }
  json doc = {{"version", 1}, {"targets", targets}};
  out << doc.dump(2) << "\n";
  err << fmt::format("iscsictl: {} target{} at {} through {}; no node record was written\n",
                     targets.size(), targets.size() == 1 ? "" : "s", portal_arg, iface_name);
  return kExitOk;
}

}  // namespace iscsictl
