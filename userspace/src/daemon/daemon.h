// `iscsictl daemon`: a single-threaded poll loop over a libudev monitor, rtnetlink
// link/address events, inotify on the config's directory and a signalfd. Bursts are
// debounced, then one reconcile pass runs with the lock held. Failed passes are retried
// with backoff; converged and idle, it sleeps without any timer.
#pragma once

#include <chrono>
#include <string>

#include "exec/reconcile.h"

namespace iscsictl {

struct DaemonOptions {
  ReconcileEnv env;  // env.config_path is the watched file
  std::chrono::milliseconds quiet{300};
  std::chrono::milliseconds cap{2000};
  std::chrono::milliseconds backoff_initial{2000};
  std::chrono::milliseconds backoff_max{60000};
  std::chrono::seconds removed_nic_grace{0};  // 0: log out a removed NIC's sessions at once
  bool log_events = true;                      // one record per uevent / rtnetlink message
  std::string textfile;  // "": none; else the Prometheus textfile written after every pass
};

// Runs until SIGTERM or SIGINT. Exit status 0, or 4 if a monitor cannot be set up.
int RunDaemon(const DaemonOptions& options);

}  // namespace iscsictl
