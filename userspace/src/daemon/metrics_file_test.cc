// The daemon's Prometheus textfile: pass counting, and the file written from a recorded
// sysfs tree, atomically, replaced by the next pass.
#include <doctest/doctest.h>
#include <sys/stat.h>

#include <filesystem>

#include "daemon/metrics_file.h"
#include "testing/test_util.h"

namespace iscsictl {
namespace {

TEST_CASE("CountPass: last pass, passes by result, actions by kind and result") {
  PassMetrics m;
  PassResult r;
  r.result = "partial";
  r.seconds = 1.5;
  r.outcomes = {{"login", "ok"}, {"login", "failed"}, {"login", "ok"}, {"new-node", "ok"}};
  CountPass(m, r, 1700000000);
  PassResult quiet;
  quiet.result = "converged";
  quiet.seconds = 0.25;
  CountPass(m, quiet, 1700000060);
  CHECK(m.last_pass_time == 1700000060);
  CHECK(m.last_pass_seconds == 0.25);
  CHECK(m.last_result == "converged");
  CHECK(m.passes_total == std::map<std::string, uint64_t>{{"converged", 1}, {"partial", 1}});
  CHECK(m.actions_total[{"login", "ok"}] == 2);
  CHECK(m.actions_total[{"login", "failed"}] == 1);
  CHECK(m.actions_total[{"new-node", "ok"}] == 1);
  CHECK(m.actions_total.size() == 3);
}

TEST_CASE("WriteMetricsFile: the status of a recorded tree and the pass metrics, mode 0644") {
  testing::TempDir dir;
  ReconcileEnv env;
  env.sysfs_root = testing::SysfsFixture("software");
  env.config_path = dir.Write("c.json", R"({"targets": [{"name": "iqn.2026-11.lab.target:status",
      "portal": {"address": "10.33.0.10"}, "sessions": [{"iface": "ve0"}, {"iface": "ve7"}]}]})");
  LoadedConfig cfg = LoadConfigFile(env.config_path);
  REQUIRE(cfg.ok());
  std::string path = (dir.path() / "iscsictl.prom").string();
  PassMetrics m;
  PassResult r;
  r.result = "converged";
  r.outcomes = {{"login", "ok"}};
  CountPass(m, r, 1700000000);

  REQUIRE_FALSE(WriteMetricsFile(path, env, &cfg, m).has_value());
  std::string text = testing::ReadText(path);
  CHECK(text.find("iscsictl_module_loaded 1\n") != std::string::npos);
  CHECK(text.find("iscsictl_config_used 1\n") != std::string::npos);
  CHECK(text.find("iscsictl_target_paths_wanted{target=\"iqn.2026-11.lab.target:status\"} 2\n") !=
        std::string::npos);
  CHECK(text.find("iscsictl_daemon_last_pass_timestamp_seconds 1700000000\n") != std::string::npos);
  CHECK(text.find("iscsictl_daemon_last_pass_result{result=\"converged\"} 1\n") !=
        std::string::npos);
  CHECK(text.find("iscsictl_daemon_actions_total{kind=\"login\",result=\"ok\"} 1\n") !=
        std::string::npos);
  struct stat st {};
  REQUIRE(stat(path.c_str(), &st) == 0);
  CHECK((st.st_mode & 07777) == 0644);

  // The next pass replaces the file; no config in force: no *_wanted series.
  CountPass(m, r, 1700000100);
  REQUIRE_FALSE(WriteMetricsFile(path, env, nullptr, m).has_value());
  text = testing::ReadText(path);
  CHECK(text.find("iscsictl_config_used 0\n") != std::string::npos);
  CHECK(text.find("iscsictl_sessions_wanted") == std::string::npos);
  CHECK(text.find("iscsictl_daemon_passes_total{result=\"converged\"} 2\n") != std::string::npos);
  size_t files = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir.path())) {
    (void)e;
    ++files;
  }
  CHECK(files == 2);  // c.json and iscsictl.prom: no temporary file left

  // A directory that does not exist: an error naming the path, nothing written.
  std::string bad = (dir.path() / "no-such-dir" / "iscsictl.prom").string();
  std::optional<std::string> error = WriteMetricsFile(bad, env, &cfg, m);
  REQUIRE(error.has_value());
  CHECK(error->find(bad) != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(bad));
}

}  // namespace
}  // namespace iscsictl
