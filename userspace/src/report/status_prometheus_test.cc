#include <doctest/doctest.h>

#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "config/config_load.h"
#include "report/status_prometheus.h"
#include "sources/nics.h"
#include "sources/sysfs_reader.h"
#include "testing/test_util.h"

using namespace iscsictl;
using iscsictl::testing::SourcePath;

namespace {

StatusReport FromFixture(const std::string& name, const std::vector<DesiredSession>* d) {
  std::string root = SourcePath("userspace/testdata/sysfs/" + name);
  return BuildStatus(ReadSysfsLiveState(root), ReadNicsSysfs(root), d, d ? "c.json" : "");
}

LoadedConfig TwoSessionConfig() {
  LoadedConfig cfg = ParseConfigText(R"({"targets": [{"name": "iqn.2026-11.lab.target:status",
      "portal": {"address": "10.33.0.10"}, "session_defaults": {"auth": {"authmethod": "CHAP",
      "username": "chap-user", "password": "inline-s3cret"}},
      "sessions": [{"iface": "ve0"}, {"iface": "ve7"}]}]})",
                                     "c.json");
  REQUIRE(cfg.ok());
  return cfg;
}

// The text exposition format 0.0.4, as far as a scraper depends on it: comment lines are
// HELP or TYPE of a valid name, each family's TYPE comes before its samples and once, the
// samples of a family are contiguous, label values are quoted with only \\ \" \n escapes,
// values are numbers, no series appears twice, the text ends with a line feed. Returns
// the problems, one per line ("" if none).
std::string ExpositionProblems(const std::string& text) {
  static const std::regex kName("[a-zA-Z_:][a-zA-Z0-9_:]*");
  static const std::regex kHelp("# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) .*");
  static const std::regex kType("# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|untyped)");
  static const std::regex kValue("[-+]?([0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?|NaN|Inf)");
  std::ostringstream problems;
  if (!text.empty() && text.back() != '\n')
    problems << "no final line feed\n";
  std::set<std::string> typed, helped, finished, series;
  std::string current;
  std::istringstream in(text);
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    std::smatch m;
    if (line.rfind('#', 0) == 0) {
      if (std::regex_match(line, m, kType)) {
        if (!typed.insert(m[1]).second)
          problems << n << ": second TYPE of " << m[1] << "\n";
      } else if (std::regex_match(line, m, kHelp)) {
        if (!helped.insert(m[1]).second)
          problems << n << ": second HELP of " << m[1] << "\n";
      } else {
        problems << n << ": bad comment: " << line << "\n";
      }
      continue;
    }
    // name, then optional {labels}, then a space and the value.
    size_t i = 0;
    while (i < line.size() && line[i] != '{' && line[i] != ' ')
      ++i;
    std::string name = line.substr(0, i);
    if (!std::regex_match(name, kName)) {
      problems << n << ": bad name: " << line << "\n";
      continue;
    }
    if (typed.count(name) == 0)
      problems << n << ": sample before TYPE of " << name << "\n";
    if (name != current) {
      if (finished.count(name) != 0)
        problems << n << ": " << name << " not contiguous\n";
      if (!current.empty())
        finished.insert(current);
      current = name;
    }
    std::string labels;
    if (i < line.size() && line[i] == '{') {
      size_t start = i;
      ++i;
      bool ok = true;
      while (ok && i < line.size() && line[i] != '}') {
        size_t k = i;
        while (i < line.size() && line[i] != '=')
          ++i;
        if (!std::regex_match(line.substr(k, i - k), kName))
          ok = false;
        if (i + 1 >= line.size() || line[i + 1] != '"') {
          ok = false;
          break;
        }
        i += 2;
        while (i < line.size() && line[i] != '"') {
          if (line[i] == '\\') {
            if (i + 1 >= line.size() ||
                std::string("\\\"n").find(line[i + 1]) == std::string::npos) {
              ok = false;
            }
            ++i;
          }
          ++i;
        }
        if (i >= line.size()) {
          ok = false;
          break;
        }
        ++i;  // closing quote
        if (i < line.size() && line[i] == ',')
          ++i;
      }
      if (!ok || i >= line.size()) {
        problems << n << ": bad labels: " << line << "\n";
        continue;
      }
      ++i;  // }
      labels = line.substr(start, i - start);
    }
    if (i >= line.size() || line[i] != ' ' || !std::regex_match(line.substr(i + 1), kValue)) {
      problems << n << ": bad value: " << line << "\n";
    }
    if (!series.insert(name + labels).second)
      problems << n << ": duplicate series " << line << "\n";
  }
  return problems.str();
}

// The software tree (verified, unverified, FAILED and not-in-config sessions; a blocked
// disk) against a config with one session that is not there (ve7).
const char* const kGolden =
    R"(# HELP iscsictl_module_loaded 1 when the iscsi_iface_attrs module is loaded (verified NIC per connection)
# TYPE iscsictl_module_loaded gauge
iscsictl_module_loaded 1
# HELP iscsictl_config_used 1 when a config was read (the *_wanted series come from it)
# TYPE iscsictl_config_used gauge
iscsictl_config_used 1
# HELP iscsictl_sessions_wanted Sessions the config asks for, by target, portal and NIC
# TYPE iscsictl_sessions_wanted gauge
iscsictl_sessions_wanted{target="iqn.2026-11.lab.target:status",portal="10.33.0.10:3260",nic="enp2s0",mac="52:54:00:0b:00:01"} 0
iscsictl_sessions_wanted{target="iqn.2026-11.lab.target:status",portal="10.33.0.10:3260",nic="ve0",mac="02:00:00:00:05:00"} 1
iscsictl_sessions_wanted{target="iqn.2026-11.lab.target:status",portal="10.33.0.10:3260",nic="ve7",mac=""} 1
iscsictl_sessions_wanted{target="iqn.2026-11.lab.target:status",portal="10.33.0.11:3260",nic="ve1",mac="02:00:00:00:05:01"} 0
# HELP iscsictl_sessions_present Sessions the kernel has (any state), by target, portal and NIC
# TYPE iscsictl_sessions_present gauge
iscsictl_sessions_present{target="iqn.2026-11.lab.target:status",portal="10.33.0.10:3260",nic="enp2s0",mac="52:54:00:0b:00:01"} 1
iscsictl_sessions_present{target="iqn.2026-11.lab.target:status",portal="10.33.0.10:3260",nic="ve0",mac="02:00:00:00:05:00"} 1
iscsictl_sessions_present{target="iqn.2026-11.lab.target:status",portal="10.33.0.10:3260",nic="ve7",mac=""} 0
iscsictl_sessions_present{target="iqn.2026-11.lab.target:status",portal="10.33.0.11:3260",nic="ve1",mac="02:00:00:00:05:01"} 1
# HELP iscsictl_sessions_logged_in Sessions in state LOGGED_IN, by target, portal and NIC
# TYPE iscsictl_sessions_logged_in gauge
iscsictl_sessions_logged_in{target="iqn.2026-11.lab.target:status",portal="10.33.0.10:3260",nic="enp2s0",mac="52:54:00:0b:00:01"} 0
iscsictl_sessions_logged_in{target="iqn.2026-11.lab.target:status",portal="10.33.0.10:3260",nic="ve0",mac="02:00:00:00:05:00"} 1
iscsictl_sessions_logged_in{target="iqn.2026-11.lab.target:status",portal="10.33.0.10:3260",nic="ve7",mac=""} 0
iscsictl_sessions_logged_in{target="iqn.2026-11.lab.target:status",portal="10.33.0.11:3260",nic="ve1",mac="02:00:00:00:05:01"} 1
# HELP iscsictl_sessions_not_in_config Sessions the kernel has that the config does not name
# TYPE iscsictl_sessions_not_in_config gauge
iscsictl_sessions_not_in_config{target="iqn.2026-11.lab.target:status",portal="10.33.0.10:3260",nic="enp2s0",mac="52:54:00:0b:00:01"} 1
iscsictl_sessions_not_in_config{target="iqn.2026-11.lab.target:status",portal="10.33.0.10:3260",nic="ve0",mac="02:00:00:00:05:00"} 0
iscsictl_sessions_not_in_config{target="iqn.2026-11.lab.target:status",portal="10.33.0.10:3260",nic="ve7",mac=""} 0
iscsictl_sessions_not_in_config{target="iqn.2026-11.lab.target:status",portal="10.33.0.11:3260",nic="ve1",mac="02:00:00:00:05:01"} 1
# HELP iscsictl_sessions_by_state Sessions by kernel session state (LOGGED_IN, FAILED, FREE), target, portal and NIC
# TYPE iscsictl_sessions_by_state gauge
iscsictl_sessions_by_state{target="iqn.2026-11.lab.target:status",portal="10.33.0.10:3260",nic="enp2s0",mac="52:54:00:0b:00:01",state="FAILED"} 1
iscsictl_sessions_by_state{target="iqn.2026-11.lab.target:status",portal="10.33.0.10:3260",nic="ve0",mac="02:00:00:00:05:00",state="LOGGED_IN"} 1
iscsictl_sessions_by_state{target="iqn.2026-11.lab.target:status",portal="10.33.0.11:3260",nic="ve1",mac="02:00:00:00:05:01",state="LOGGED_IN"} 1
# HELP iscsictl_connections Connections by connection state, target, portal and NIC
# TYPE iscsictl_connections gauge
iscsictl_connections{target="iqn.2026-11.lab.target:status",portal="10.33.0.10:3260",nic="enp2s0",mac="52:54:00:0b:00:01",state="failed"} 1
iscsictl_connections{target="iqn.2026-11.lab.target:status",portal="10.33.0.10:3260",nic="ve0",mac="02:00:00:00:05:00",state="up"} 1
iscsictl_connections{target="iqn.2026-11.lab.target:status",portal="10.33.0.11:3260",nic="ve1",mac="02:00:00:00:05:01",state="up"} 1
# HELP iscsictl_disks SCSI disks of the sessions by device state (running, offline, ...)
# TYPE iscsictl_disks gauge
iscsictl_disks{target="iqn.2026-11.lab.target:status",portal="10.33.0.10:3260",nic="enp2s0",mac="52:54:00:0b:00:01",state="blocked"} 1
iscsictl_disks{target="iqn.2026-11.lab.target:status",portal="10.33.0.10:3260",nic="ve0",mac="02:00:00:00:05:00",state="running"} 1
iscsictl_disks{target="iqn.2026-11.lab.target:status",portal="10.33.0.11:3260",nic="ve1",mac="02:00:00:00:05:01",state="running"} 1
# HELP iscsictl_target_paths_wanted Sessions (paths) the config asks for, by target
# TYPE iscsictl_target_paths_wanted gauge
iscsictl_target_paths_wanted{target="iqn.2026-11.lab.target:status"} 2
# HELP iscsictl_target_paths_logged_in Sessions (paths) in state LOGGED_IN, by target
# TYPE iscsictl_target_paths_logged_in gauge
iscsictl_target_paths_logged_in{target="iqn.2026-11.lab.target:status"} 2
)";

}  // namespace

TEST_CASE("status in Prometheus text format: golden text") {
  LoadedConfig cfg = TwoSessionConfig();
  std::string text = StatusToPrometheus(FromFixture("software", &cfg.sessions));
  CHECK(text == kGolden);
  CHECK(ExpositionProblems(text) == "");
}

TEST_CASE("status in Prometheus text format: every fixture parses, without a config too") {
  for (const char* name : {"software", "software-nomodule", "qla4xxx"}) {
    CAPTURE(name);
    std::string text = StatusToPrometheus(FromFixture(name, nullptr));
    CHECK(ExpositionProblems(text) == "");
    CHECK(text.find("iscsictl_config_used 0\n") != std::string::npos);
    CHECK(text.find("iscsictl_sessions_wanted") == std::string::npos);
  }
  CHECK(StatusToPrometheus(StatusReport{}) ==
        "# HELP iscsictl_module_loaded 1 when the iscsi_iface_attrs module is loaded (verified "
        "NIC per connection)\n# TYPE iscsictl_module_loaded gauge\niscsictl_module_loaded 0\n"
        "# HELP iscsictl_config_used 1 when a config was read (the *_wanted series come from "
        "it)\n# TYPE iscsictl_config_used gauge\niscsictl_config_used 0\n");
}

TEST_CASE("Prometheus label values: quotes, backslash, newline escaped; bad UTF-8 replaced") {
  CHECK(PrometheusLabelValue("plain iqn.2001-05.com.x:vol1") == "plain iqn.2001-05.com.x:vol1");
  CHECK(PrometheusLabelValue("a\"b") == "a\\\"b");
  CHECK(PrometheusLabelValue("a\\b") == "a\\\\b");
  CHECK(PrometheusLabelValue("a\nb") == "a\\nb");
  CHECK(PrometheusLabelValue("\\\"\n") == "\\\\\\\"\\n");
  CHECK(PrometheusLabelValue("caf\xC3\xA9") == "caf\xC3\xA9");  // UTF-8 kept
  CHECK(PrometheusLabelValue("a\xFF"
                             "b") ==
        "a\xEF\xBF\xBD"
        "b");                                                                     // not UTF-8
  CHECK(PrometheusLabelValue("\xC3") == "\xEF\xBF\xBD");                          // cut sequence
  CHECK(PrometheusLabelValue("\xC0\xAF") == "\xEF\xBF\xBD\xEF\xBF\xBD");          // overlong /
  CHECK(PrometheusLabelValue("\xED\xA0\x80").find('\xED') == std::string::npos);  // surrogate

  // A hostile target (names come from the kernel and from discovery) and NIC name.
  StatusReport report;
  report.module_loaded = true;
  StatusTarget t;
  t.name = "iqn.x:\"} evil_metric 1\n# TYPE x counter\\";
  StatusPortal p;
  p.address = "10.0.0.1";
  StatusSession s;
  s.presence = "live";
  s.nic.netdev = "eth\"0\n";
  s.nic.mac = "02:00:00:00:00:01";
  s.live = LiveSession{};
  s.live->state = "LOGGED_IN";
  p.sessions.push_back(s);
  t.portals.push_back(p);
  report.targets.push_back(t);
  std::string text = StatusToPrometheus(report);
  CHECK(ExpositionProblems(text) == "");
  CHECK(text.find("\nevil_metric") == std::string::npos);
  CHECK(text.find("\n# TYPE x") == std::string::npos);
  CHECK(text.find("target=\"iqn.x:\\\"} evil_metric 1\\n# TYPE x counter\\\\\"") !=
        std::string::npos);
  CHECK(text.find("nic=\"eth\\\"0\\n\"") != std::string::npos);
}

TEST_CASE("Prometheus text holds no CHAP name or secret, nor any session parameter") {
  LoadedConfig cfg = TwoSessionConfig();
  std::string text = StatusToPrometheus(FromFixture("software", &cfg.sessions));
  CHECK(text.find("s3cret") == std::string::npos);
  CHECK(text.find("chap-user") == std::string::npos);
  CHECK(text.find("262144") == std::string::npos);  // FirstBurstLength of the fixture
}

TEST_CASE("Prometheus daemon metrics: last pass, result of each kind, counters") {
  PassMetrics m;
  StatusReport empty;
  std::string none = StatusToPrometheus(empty, &m);
  CHECK(none.find("iscsictl_daemon_last_pass") == std::string::npos);  // no pass yet
  m.last_pass_time = 1700000000.25;
  m.last_pass_seconds = 1.5;
  m.last_result = "partial";
  m.passes_total = {{"converged", 3}, {"partial", 1}};
  m.actions_total = {{{"login", "failed"}, 1}, {{"login", "ok"}, 4}};
  std::string text = StatusToPrometheus(empty, &m);
  CHECK(ExpositionProblems(text) == "");
  CHECK(text.find("iscsictl_daemon_last_pass_timestamp_seconds 1700000000.250\n") !=
        std::string::npos);
  CHECK(text.find("iscsictl_daemon_last_pass_duration_seconds 1.500\n") != std::string::npos);
  CHECK(text.find("iscsictl_daemon_last_pass_result{result=\"partial\"} 1\n") != std::string::npos);
  CHECK(text.find("iscsictl_daemon_last_pass_result{result=\"converged\"} 0\n") !=
        std::string::npos);
  CHECK(text.find("# TYPE iscsictl_daemon_passes_total counter\n") != std::string::npos);
  CHECK(text.find("iscsictl_daemon_passes_total{result=\"converged\"} 3\n") != std::string::npos);
  CHECK(text.find("iscsictl_daemon_actions_total{kind=\"login\",result=\"ok\"} 4\n") !=
        std::string::npos);
}

TEST_CASE("the format check finds what a scraper would reject") {
  CHECK(ExpositionProblems("# TYPE a gauge\na 1\n") == "");
  CHECK(ExpositionProblems("a 1\n") != "");                                         // no TYPE
  CHECK(ExpositionProblems("# TYPE a gauge\na{x=\"1\"} 1\na{x=\"1\"} 2\n") != "");  // twice
  CHECK(ExpositionProblems("# TYPE a gauge\na{x=\"a\nb\"} 1\n") != "");             // raw newline
  CHECK(ExpositionProblems("# TYPE a gauge\na{x=\"a\\qb\"} 1\n") != "");            // bad escape
  CHECK(ExpositionProblems("# TYPE a gauge\n# TYPE b gauge\na 1\nb 1\na{x=\"\"} 1\n") != "");
  CHECK(ExpositionProblems("# TYPE a gauge\na one\n") != "");
  CHECK(ExpositionProblems("# TYPE a gauge\na 1") != "");
}
