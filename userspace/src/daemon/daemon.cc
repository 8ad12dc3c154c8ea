#include "daemon/daemon.h"

#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <memory>
#include <optional>

#include "base/exit_status.h"
#include "base/fd.h"
#include "config/config_load.h"
#include "daemon/config_watch.h"
#include "daemon/daemon_logic.h"
#include "daemon/daemon_pass.h"
#include "daemon/metrics_file.h"
#include "daemon/rtnl_monitor.h"
#include "daemon/sd_notify.h"
#include "daemon/udev_monitor.h"

namespace iscsictl {
namespace {

using Fields = std::vector<std::pair<std::string, std::string>>;

// One record, one write(2): lines of concurrent writers never interleave.
void Log(const Fields& fields) {
  std::string line = fmt::format("iscsictl[{}]: {}\n", getpid(), LogRecord(fields));
  ssize_t n = write(STDERR_FILENO, line.data(), line.size());
  (void)n;
}

class Daemon {
 public:
  explicit Daemon(const DaemonOptions& o)
      : o_(o), debounce_(o.quiet, o.cap), backoff_(o.backoff_initial, o.backoff_max) {}
  int Run();

 private:
  bool Setup();
  void LoadConfig();
  void OnSignal();
  void OnUdev();
  void OnRtnl();
  void OnConfig();
  void Reconcile();
  void WriteMetrics();
  int TimeoutMs(Clock::time_point now) const;

  DaemonOptions o_;
  Fd signal_fd_;
  std::unique_ptr<UdevMonitor> udev_;
  std::unique_ptr<RtnlMonitor> rtnl_;
  std::unique_ptr<ConfigWatch> watch_;
  Debouncer debounce_;
  NewAddresses new_addresses_;
  Backoff backoff_;
  std::optional<LoadedConfig> config_;  // the last good config
  bool config_dirty_ = true;
  bool reloading_ = false;
  bool stop_ = false;
  std::optional<Clock::time_point> retry_at_, wake_at_;
  PassState pass_state_;
  PassMetrics metrics_;
  std::string metrics_error_;  // the last textfile error logged (each is logged once)
  RealCommandRunner runner_;
};

bool Daemon::Setup() {
  sigset_t set;
  sigemptyset(&set);
  for (int s : {SIGHUP, SIGTERM, SIGINT}) sigaddset(&set, s);
  sigprocmask(SIG_BLOCK, &set, nullptr);
  signal(SIGPIPE, SIG_IGN);
  signal_fd_ = Fd(signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC));
  std::string error;
  if (!signal_fd_.Valid()) {
    error = fmt::format("signalfd: {}", std::strerror(errno));
  } else if (!(udev_ = UdevMonitor::Open(error))) {
  } else if (!(rtnl_ = RtnlMonitor::Open(error))) {
  } else if (!(watch_ = ConfigWatch::Open(o_.env.config_path, error))) {
  }
  if (!error.empty()) {
    Log({{"event", "start"}, {"result", "error"}, {"detail", error}});
    return false;
  }
  return true;
}

void Daemon::LoadConfig() {
  config_dirty_ = false;
  LoadedConfig loaded = LoadConfigFile(o_.env.config_path);
  if (!loaded.ok()) {
    for (const ConfigError& e : loaded.errors) {
      Fields f{{"event", "config-invalid"}, {"file", e.file}};
      if (!e.pointer.empty()) f.emplace_back("pointer", e.pointer);
      if (e.line > 0) f.emplace_back("line", std::to_string(e.line));
      if (e.column > 0) f.emplace_back("column", std::to_string(e.column));
      f.emplace_back("error", e.message);
      Log(f);
    }
    Log({{"event", "config-invalid"},
         {"file", o_.env.config_path},
         {"result", config_ ? "kept the last good config" : "no config in force; waiting"}});
    return;
  }
  for (const std::string& w : loaded.warnings) {
    Log({{"event", "warning"}, {"detail", w}});
  }
  Log({{"event", "config-loaded"},
       {"file", o_.env.config_path},
       {"targets", std::to_string(loaded.config.targets.size())},
       {"sessions", std::to_string(loaded.sessions.size())}});
  config_ = std::move(loaded);
}

void Daemon::OnSignal() {
  signalfd_siginfo si;
  while (read(signal_fd_.get(), &si, sizeof si) == static_cast<ssize_t>(sizeof si)) {
    if (si.ssi_signo == SIGHUP) {
      Log({{"event", "sighup"}, {"file", o_.env.config_path}});
      SdNotify("RELOADING=1", "reloading the config");
      reloading_ = true;
      config_dirty_ = true;
      debounce_.Event(Clock::now() - o_.cap);  // due at once
    } else {
      Log({{"event", "stop"}, {"signal", strsignal(static_cast<int>(si.ssi_signo))}});
      stop_ = true;
    }
  }
}

void Daemon::OnUdev() {
  while (std::optional<UeventInfo> e = udev_->Receive()) {
    EventKind kind = ClassifyUevent(e->subsystem, e->action);
    if (kind == EventKind::kIgnore) continue;
    if (o_.log_events) {
      Fields f{{"event", std::string(EventName(kind))}};
      f.emplace_back(e->subsystem == "net" ? "nic" : "dev", e->sysname);
      if (!e->mac.empty()) f.emplace_back("mac", e->mac);
      Log(f);
    }
    // While a retry is scheduled, iSCSI uevents are mostly the failed pass's own (a failed
    // login adds and removes a session): they must not defeat the backoff. NIC, address
    // and config events still trigger a pass at once.
    bool own_echo = retry_at_ && (kind == EventKind::kIscsiAdd || kind == EventKind::kIscsiRemove ||
                                  kind == EventKind::kIscsiChange);
    if (TriggersReconcile(kind) && !own_echo) debounce_.Event(Clock::now());
  }
}

void Daemon::OnRtnl() {
  bool overflow = false;
  for (const RtnlEvent& e : rtnl_->Drain(overflow)) {
    if (o_.log_events) {
      Fields f{{"event", std::string(EventName(e.kind))}, {"nic", e.name}};
      if (e.kind == EventKind::kLinkChange) {
        f.emplace_back("up", e.up ? "1" : "0");
        f.emplace_back("carrier", e.carrier ? "1" : "0");
      }
      if (!e.address.empty()) f.emplace_back("address", e.address);
      Log(f);
    }
    // A NIC that just got its address logs in at once (issue 15): no debounce cap before
    // its first login. Other link and address events are debounced.
    bool now = new_addresses_.Event(e.kind, e.name, e.address);
    debounce_.Event(now ? Clock::now() - o_.cap : Clock::now());
  }
  if (overflow) {
    Log({{"event", "rtnl-overflow"}, {"detail", "netlink messages lost; full reconcile"}});
    debounce_.Event(Clock::now());
  }
}

void Daemon::OnConfig() {
  if (watch_->Drain()) {
    Log({{"event", "config-change"}, {"file", o_.env.config_path}});
    config_dirty_ = true;
    debounce_.Event(Clock::now());
  }
}

void Daemon::Reconcile() {
  debounce_.Clear();
  retry_at_.reset();
  wake_at_.reset();
  if (config_dirty_) LoadConfig();
  if (config_) {
    ReconcileEnv env = o_.env;
    env.loaded = &*config_;
    PassResult r = ReconcilePass(env, o_.removed_nic_grace, pass_state_, runner_, Log);
    CountPass(metrics_, r, static_cast<double>(std::time(nullptr)));
    wake_at_ = r.wake;
    if (r.retry) {
      std::chrono::milliseconds delay = backoff_.Next();
      retry_at_ = Clock::now() + delay;
      Log({{"event", "retry"}, {"in_ms", std::to_string(delay.count())}});
    } else {
      backoff_.Reset();
    }
  }
  WriteMetrics();
  if (reloading_) {
    reloading_ = false;
    SdNotify("READY=1", "reloaded");
  }
}

void Daemon::WriteMetrics() {
  if (o_.textfile.empty()) return;
  std::optional<std::string> error =
      WriteMetricsFile(o_.textfile, o_.env, config_ ? &*config_ : nullptr, metrics_);
  std::string now = error.value_or("");
  if (now != metrics_error_) {
    if (error) {
      Log({{"event", "textfile"}, {"result", "error"}, {"detail", *error}});
    } else {
      Log({{"event", "textfile"}, {"result", "ok"}, {"file", o_.textfile}});
    }
    metrics_error_ = now;
  }
}

int Daemon::TimeoutMs(Clock::time_point now) const {
  std::optional<Clock::time_point> next = debounce_.Deadline();
  for (const auto& t : {retry_at_, wake_at_}) {
    if (t && (!next || *t < *next)) next = t;
  }
  if (!next) return -1;  // idle: no timer at all
  if (*next <= now) return 0;
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(*next - now).count() + 1;
  return static_cast<int>(std::min<long long>(ms, 60 * 60 * 1000));
}

int Daemon::Run() {
  if (!Setup()) return kExitEnvironment;
  Log({{"event", "start"},
       {"config", o_.env.config_path},
       {"removed_nic_grace_s", std::to_string(o_.removed_nic_grace.count())}});
  Reconcile();  // adopts what exists: with nothing to do it changes nothing
  SdNotify("READY=1", "watching NICs, iSCSI devices and the config");
  while (!stop_) {
    pollfd fds[4] = {{signal_fd_.get(), POLLIN, 0},
                     {udev_->fd(), POLLIN, 0},
                     {rtnl_->fd(), POLLIN, 0},
                     {watch_->fd(), POLLIN, 0}};
    int n = poll(fds, 4, TimeoutMs(Clock::now()));
    if (n < 0 && errno != EINTR) {
      Log({{"event", "poll"}, {"result", "error"}, {"detail", std::strerror(errno)}});
      return kExitEnvironment;
    }
    if (fds[0].revents != 0) OnSignal();
    if (stop_) break;
    if (fds[1].revents != 0) OnUdev();
    if (fds[2].revents != 0) OnRtnl();
    if (fds[3].revents != 0) OnConfig();
    Clock::time_point now = Clock::now();
    if (debounce_.Due(now) || (retry_at_ && now >= *retry_at_) || (wake_at_ && now >= *wake_at_)) {
      Reconcile();
    }
  }
  SdNotify("STOPPING=1", "stopping");
  return 0;
}

}  // namespace

int RunDaemon(const DaemonOptions& options) {
  Daemon d(options);
  return d.Run();
}

}  // namespace iscsictl
