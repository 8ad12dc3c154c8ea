// The daemon's Prometheus textfile (`iscsictl daemon --textfile PATH`, for node_exporter's
// textfile collector): after every pass, the status (the same model and text as
// `iscsictl status --format prometheus`) and the daemon's pass counters, written
// atomically (readers see the last file or the new one, never a part).
#pragma once

#include <optional>
#include <string>

#include "config/config_load.h"
#include "daemon/daemon_pass.h"
#include "exec/reconcile.h"
#include "report/status_prometheus.h"

namespace iscsictl {

// Adds one pass to the counters; `now_unix` is when it ended (Unix seconds).
void CountPass(PassMetrics& m, const PassResult& r, double now_unix);

// Reads the live state and NICs below env.sysfs_root, builds the status with `config`'s
// sessions (null: no config in force), and writes its text with `m` to `path` (mode 0644).
// Returns an error naming what failed, or nullopt.
std::optional<std::string> WriteMetricsFile(const std::string& path, const ReconcileEnv& env,
                                            const LoadedConfig* config, const PassMetrics& m);

}  // namespace iscsictl
