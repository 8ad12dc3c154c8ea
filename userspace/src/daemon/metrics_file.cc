#include "daemon/metrics_file.h"

#include <vector>

#include "base/atomic_file.h"
#include "plan/status_report.h"
#include "sources/live_source.h"
#include "sources/nics.h"

namespace iscsictl {

void CountPass(PassMetrics& m, const PassResult& r, double now_unix) {
  m.last_pass_time = now_unix;
  m.last_pass_seconds = r.seconds;
  m.last_result = r.result;
  ++m.passes_total[r.result];
  for (const auto& kind_result : r.outcomes) {
    ++m.actions_total[kind_result];
  }
}

std::optional<std::string> WriteMetricsFile(const std::string& path, const ReconcileEnv& env,
                                            const LoadedConfig* config, const PassMetrics& m) {
  std::string warning;
  std::vector<NicInfo> nics = ReadNics(env.sysfs_root, &warning);
  LiveStateSource source(env.sysfs_root, LiveVia::kAuto);
  std::string error;
  std::optional<LiveState> live = source.Read(&error);
  if (!live) {
    return "cannot read the live state for " + path + ": " + error;
  }
  StatusReport report = BuildStatus(*live, nics, config != nullptr ? &config->sessions : nullptr,
                                    config != nullptr ? env.config_path : "");
  return WriteFileAtomic(path, StatusToPrometheus(report, &m), 0644);
}

}  // namespace iscsictl
