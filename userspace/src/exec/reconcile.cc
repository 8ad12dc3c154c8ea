#include "exec/reconcile.h"

#include <fmt/format.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <nlohmann/json.hpp>
#include <ostream>

#include "base/exit_status.h"
#include "config/config_resolve.h"
#include "config/secret_file.h"
#include "sources/disk_use.h"
#include "sources/live_source.h"
#include "sources/nics.h"
#include "store/record_store.h"

namespace iscsictl {
namespace {

void PrintErrors(const ConfigErrors& errors, std::ostream& err) {
  for (const ConfigError& e : errors) {
    err << e.ToString() << "\n";
  }
}

}  // namespace

std::optional<int> GatherInputs(const ReconcileEnv& env, ReconcileInputs& in, std::ostream& err) {
  if (env.loaded != nullptr) {
    in.loaded = *env.loaded;
  } else if (env.need_config) {
    in.loaded = LoadConfigFile(env.config_path);
    if (!in.loaded.ok()) {
      PrintErrors(in.loaded.errors, err);
      return kExitBadInput;
    }
  }
  SecretValues secrets;
  ConfigErrors errors;
  for (const SecretFileRef& ref : SecretFiles(in.loaded.config)) {
    std::string why;
    if (std::optional<std::string> value = ReadSecretFile(ref.path, why)) {
      secrets[ref.path] = *value;
    } else {
      errors.push_back({env.config_path, ref.pointer, 0, 0, why});
    }
  }
  std::string nic_warning;
  in.nics = ReadNics(env.sysfs_root, &nic_warning);
  if (!nic_warning.empty()) {
    err << "iscsictl: " << nic_warning << "\n";
  }
  std::vector<NicFacts> facts = FactsOf(in.nics);
  std::vector<std::string> warnings;
  in.observed.records = RecordStore(env.iscsi_root).Read(&warnings);
  for (const std::string& w : warnings) {
    err << "iscsictl: warning: " << w << "\n";
  }
  in.bindings = MakeBindings(in.loaded.sessions, facts, in.observed.records, secrets,
                             env.config_path, errors);
  if (!errors.empty()) {
    PrintErrors(errors, err);
    return kExitBadInput;
  }
  std::string live_error;
  in.observed.sessions = LiveStateSource(env.sysfs_root).Read(&live_error)->sessions;
  std::vector<LiveSession> ours;
  for (const LiveSession& s : in.observed.sessions) {
    if (IsOwnedIface(s.ifacename)) {
      ours.push_back(s);
    }
  }
  // Other paths of our disks may run through foreign sessions: read all disks if any is ours.
  if (!ours.empty()) {
    in.observed.disks = ReadDiskUse(in.observed.sessions, env.sysfs_root);
  }
  return std::nullopt;
}

std::optional<std::string> CheckIscsid() {
  // iscsid (or systemd's iscsid.socket) listens on this abstract unix socket.
  static constexpr char kName[] = "ISCSIADM_ABSTRACT_NAMESPACE";
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    return fmt::format("socket: {}", std::strerror(errno));
  }
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::memcpy(addr.sun_path + 1, kName, sizeof kName - 1);
  socklen_t len = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + 1 + sizeof kName - 1);
  int rc = connect(fd, reinterpret_cast<sockaddr*>(&addr), len);
  int saved = errno;
  close(fd);
  if (rc != 0) {
    return fmt::format(
        "iscsid is not running (no answer on @{}: {}); start it with "
        "`systemctl start iscsid`",
        kName, std::strerror(saved));
  }
  return std::nullopt;
}

int CarryOut(const Plan& plan, const ReconcileEnv& env, std::ostream& err) {
  bool sessions = std::any_of(plan.actions.begin(), plan.actions.end(), [](const Action& a) {
    return a.kind == ActionKind::kLogin || a.kind == ActionKind::kLogout;
  });
  if (sessions) {
    if (std::optional<std::string> why = CheckIscsid()) {
      err << "iscsictl: " << *why << "; nothing changed\n";
      return kExitEnvironment;
    }
  }
  RealCommandRunner runner;
  ExecResult result =
      Execute(plan, RecordStore(env.iscsi_root), runner, env.exec,
              [&](const std::string& line) { err << "iscsictl: " << line << "\n"; });
  size_t failed = result.Failed();
  size_t skipped =
      static_cast<size_t>(std::count_if(result.outcomes.begin(), result.outcomes.end(),
                                        [](const ActionOutcome& o) { return o.skipped; }));
  for (const Note& n : plan.notes) {
    if (n.kind == NoteKind::kKept || n.kind == NoteKind::kProblem || n.kind == NoteKind::kWaiting) {
      err << fmt::format("iscsictl: {}: {}{}\n", NoteName(n.kind),
                         n.key.target.empty() ? "" : n.key.ToString() + ": ", n.text);
    }
  }
  if (failed == 0 && skipped == 0) {
    if (plan.actions.empty()) {
      return plan.Blocked() ? kExitBlocked : kExitOk;
    }
    err << fmt::format("iscsictl: {} action{} done\n", plan.actions.size(),
                       plan.actions.size() == 1 ? "" : "s");
    return plan.Blocked() ? kExitBlocked : kExitOk;
  }
  err << fmt::format("iscsictl: partial failure: {} of {} actions failed, {} skipped:\n", failed,
                     plan.actions.size(), skipped);
  for (const ActionOutcome& o : result.outcomes) {
    if (!o.ok) {
      const Action& a = plan.actions[o.index];
      err << fmt::format("  {} {}: {}{}\n", ActionName(a.kind), a.Subject(),
                         o.skipped ? "skipped: " : "", o.detail);
    }
  }
  return kExitFailure;
}

}  // namespace iscsictl
