#include "cli/cmd_status.h"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "cli/cli.h"
#include "testing/test_util.h"

using iscsictl::testing::CliResult;
using iscsictl::testing::RunCliForTest;
using iscsictl::testing::SourcePath;

constexpr auto* Fixture = &iscsictl::testing::SysfsFixture;

#if ISCSICTL_TEST_SEAMS  // the test-only options (cli/test_seams.h)
TEST_CASE("iscsictl status over a recorded tree") {
  CliResult r = RunCliForTest({"status", "--no-config", "--sysfs-root", Fixture("software")});
  CHECK(r.status == 0);
  CHECK(r.out.find("sda>dm-0") != std::string::npos);
  CliResult j =
      RunCliForTest({"status", "--json", "--no-config", "--sysfs-root", Fixture("qla4xxx")});
  REQUIRE(j.status == 0);
  nlohmann::json doc = nlohmann::json::parse(j.out);
  CHECK(doc["targets"][0]["portals"][0]["sessions"][0]["record_id"] ==
        "iqn.2026-11.lab.target:hba,10.33.0.10,3260,qla4xxx,pci/0000:03:00.1,00:0e:1e:00:00:02");
}
#endif

#if ISCSICTL_TEST_SEAMS  // the test-only options (cli/test_seams.h)
TEST_CASE("iscsictl status with -c compares with the config; a bad config exits 2") {
  iscsictl::testing::TempDir dir;
  std::string good = dir.Write("c.json", R"({"targets": [{"name": "iqn.2026-11.lab.target:status",
      "portal": {"address": "10.33.0.10"}, "sessions": [{"iface": "ve0"}]}]})");
  CliResult r =
      RunCliForTest({"-c", good, "status", "--json", "--sysfs-root", Fixture("software")});
  REQUIRE(r.status == 0);
  nlohmann::json doc = nlohmann::json::parse(r.out);
  CHECK(doc["config"] == good);
  CHECK(doc["targets"][0]["portals"][0]["sessions"][0]["presence"] == "configured");
  std::string bad = dir.Write("bad.json", "{");
  CHECK(RunCliForTest({"-c", bad, "status", "--sysfs-root", Fixture("software")}).status ==
        iscsictl::kExitBadInput);
  CHECK(RunCliForTest({"-c", dir.path().string() + "/absent.json", "status", "--sysfs-root",
                       Fixture("software")})
            .status == iscsictl::kExitBadInput);
}
#endif

TEST_CASE("the request's spelling: iscsictl -m session -i") {
  CliResult r = RunCliForTest({"-m", "session", "-i"});
  CHECK(r.status == 0);
  CHECK(r.out.find("module iscsi_iface_attrs") != std::string::npos);
  CHECK(RunCliForTest({"-m", "node"}).status == iscsictl::kExitBadInput);
  CHECK(RunCliForTest({"-i"}).status == iscsictl::kExitBadInput);
}

#if ISCSICTL_TEST_SEAMS  // the test-only options (cli/test_seams.h)
TEST_CASE("iscsictl nics") {
  CliResult r = RunCliForTest({"nics", "--sysfs-root", Fixture("software")});
  CHECK(r.status == 0);
  CHECK(r.out.find("e1000e") != std::string::npos);
  CliResult j = RunCliForTest({"nics", "--json"});
  CHECK(j.status == 0);
  CHECK(nlohmann::json::parse(j.out).contains("nics"));
}
#endif
