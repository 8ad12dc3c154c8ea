// `iscsictl status --format prometheus` and the daemon's node_exporter textfile: the
// status model (plan/status_report.h, the same one --json prints) in the Prometheus text
// exposition format 0.0.4. Pure. Labels hold names only (target, portal, NIC, MAC,
// states, action kinds): never a session parameter, never a secret.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>

#include "plan/status_report.h"

namespace iscsictl {

// What the daemon knows of its passes (absent for `iscsictl status`).
struct PassMetrics {
  double last_pass_time = 0;     // Unix seconds at the end of the last pass; 0: none yet
  double last_pass_seconds = 0;  // how long it took
  std::string last_result;       // "converged", "waiting", "blocked", "partial", "error"
  std::map<std::string, uint64_t> passes_total;                           // by result
  std::map<std::pair<std::string, std::string>, uint64_t> actions_total;  // (kind, result)
};

// The pass results the daemon logs (daemon/daemon_pass.cc), each a series of
// iscsictl_daemon_last_pass_result: 1 for the last one, 0 for the others.
inline constexpr std::string_view kPassResults[] = {"converged", "waiting", "blocked", "partial",
                                                    "error"};

// A label value as the format wants it: backslash, double quote and line feed escaped;
// bytes that are not UTF-8 replaced by U+FFFD (the format is UTF-8).
std::string PrometheusLabelValue(std::string_view v);

std::string StatusToPrometheus(const StatusReport& report, const PassMetrics* daemon = nullptr);

}  // namespace iscsictl
