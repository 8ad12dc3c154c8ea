#include "cli/cmd_reconcile.h"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "testing/test_util.h"

using iscsictl::testing::CliResult;
using iscsictl::testing::RunCliForTest;
using iscsictl::testing::SourcePath;
using iscsictl::testing::TempDir;

namespace {

constexpr auto* Fixture = &iscsictl::testing::SysfsFixture;

constexpr const char* kConfig = R"({"version": 1, "targets": [
  {"name": "iqn.2026-11.lab.target:status", "tpgt": 1, "portal": {"address": "10.33.0.10"},
   "sessions": [{"iface": "02:00:00:00:05:00"}, {"iface": "ve1"}]}]})";

}  // namespace

#if ISCSICTL_TEST_SEAMS  // the test-only options (cli/test_seams.h)
TEST_CASE("plan --json on a recorded tree: records to write, NICs without address wait") {
  TempDir dir;
  std::string conf = dir.Write("c.json", kConfig);
  CliResult r = RunCliForTest({"-c", conf, "plan", "--json", "--sysfs-root", Fixture("software"),
                               "--iscsi-root", (dir.path() / "iscsi").string()});
  REQUIRE(r.status == 0);
  auto j = nlohmann::json::parse(r.out);
  CHECK(j["converged"] == false);
  std::string kinds;
  for (const auto& a : j["actions"]) {
    kinds += a["action"].get<std::string>() + " ";
  }
  CHECK(kinds == "write-iface write-node write-iface write-node ");
  CHECK(j["actions"][1]["iface"] == "ictl-020000000500");
  CHECK(j["actions"][1]["portal"] == "10.33.0.10:3260");
  std::string notes;
  for (const auto& n : j["notes"]) {
    notes += n["note"].get<std::string>() + " ";
  }
  // The recorded NICs have no addresses (sysfs alone); the 3 sessions are iscsiadm's.
  CHECK(notes == "waiting waiting foreign ");
  CHECK(j["notes"][2]["text"] == "3 sessions not made by iscsictl left alone");
}
#endif

#if ISCSICTL_TEST_SEAMS  // the test-only options (cli/test_seams.h)
TEST_CASE("reconcile commands: bad input is exit 2 with the reason, before any change") {
  TempDir dir;
  std::string conf = dir.Write("c.json", kConfig);
  std::string root = (dir.path() / "iscsi").string();
  std::string lock = (dir.path() / "lock").string();
  struct Case {
    std::vector<std::string> args;
    const char* message;
  };
  const Case cases[] = {
      {{"-m", "node", "-T", "iqn.2026-11.lab.target:status"}, "needs exactly one of --login"},
      {{"-T", "iqn.2026-11.lab.target:status", "--login"}, "need -m node"},
      {{"-m", "node", "--reload"}, "needs -T TARGET"},
      {{"login", "-p", "10.33.0.10"}, "-T TARGET is required"},
      {{"login", "-T", "iqn.2026-11.lab.target:status", "-p", "10.33.0.10:99999"}, "not a portal"},
      {{"login", "-T", "iqn.2026-11.lab.target:status", "-I", "nosuch0"},
       "-I nosuch0: no such NIC"},
      {{"login", "-T", "iqn.2026-11.lab.target:other"}, "no session of"},
      {{"logout", "-T", "iqn.2026-11.lab.target:status", "-I", "ve0"}, "no session matches"},
      {{"discover", "-p", "not a host"}, "not a portal"},
  };
  for (const Case& c : cases) {
    std::vector<std::string> args = {"-c", conf};
    args.insert(args.end(), c.args.begin(), c.args.end());
    if (c.args[0] == "login" || c.args[0] == "logout" || c.args[0] == "discover") {
      for (const char* extra : {"--sysfs-root", "--iscsi-root", "--lock"}) {
        args.push_back(extra);
        args.push_back(std::string(extra) == "--sysfs-root"   ? Fixture("software")
                       : std::string(extra) == "--iscsi-root" ? root
                                                              : lock);
      }
    }
    CliResult r = RunCliForTest(args);
    CAPTURE(r.err);
    CHECK(r.status == 2);
    CHECK(r.err.find(c.message) != std::string::npos);
  }
  CHECK_FALSE(std::filesystem::exists(root));  // nothing was written
}
#endif

#if ISCSICTL_TEST_SEAMS  // the test-only options (cli/test_seams.h)
TEST_CASE("apply with a bad config names the place and writes nothing") {
  TempDir dir;
  std::string conf = dir.Write("c.json", "{\"version\": 1,\n \"targets\": [{\"name\": 5}]}\n");
  std::string root = (dir.path() / "iscsi").string();
  CliResult r = RunCliForTest({"-c", conf, "apply", "--sysfs-root", Fixture("software"),
                               "--iscsi-root", root, "--lock", (dir.path() / "lock").string()});
  CHECK(r.status == 2);
  CHECK(r.err.find(conf + ":/targets/0/name") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(root));
}
#endif

#if ISCSICTL_TEST_SEAMS  // the test-only options (cli/test_seams.h)
TEST_CASE("a config naming a NIC that is not there: plan notes it, not converged; apply exit 3") {
  TempDir dir;
  std::string conf = dir.Write("c.json", R"({"version": 1, "targets": [
    {"name": "iqn.2026-11.lab.target:status", "tpgt": 1, "portal": {"address": "10.33.0.10"},
     "sessions": [{"iface": "02:00:00:00:99:99"}]}]})");
  std::vector<std::string> common = {"--sysfs-root", Fixture("software"), "--iscsi-root",
                                     (dir.path() / "iscsi").string()};
  std::vector<std::string> args = {"-c", conf, "plan", "--json"};
  args.insert(args.end(), common.begin(), common.end());
  CliResult r = RunCliForTest(args);
  REQUIRE(r.status == 0);  // plan is a dry run: it says, it does not fail
  auto j = nlohmann::json::parse(r.out);
  CHECK(j["converged"] == false);
  CHECK(j["actions"].empty());
  REQUIRE(j["notes"].size() == 2);
  CHECK(j["notes"][0]["note"] == "absent");
  CHECK(j["notes"][0]["iface"] == "ictl-020000009999");
  CHECK(j["notes"][0]["text"] == "no NIC with MAC 02:00:00:00:99:99 on this host: no session");
  args.erase(args.begin() + 3);  // plan in text: without --json
  r = RunCliForTest(args);
  CHECK(r.out.find("not converged") != std::string::npos);
  CHECK(r.out.find("note (absent)") != std::string::npos);
  args = {"-c", conf, "apply", "--lock", (dir.path() / "lock").string()};
  args.insert(args.end(), common.begin(), common.end());
  r = RunCliForTest(args);
  CHECK(r.status == 3);
  CHECK(r.err.find("iscsictl: absent: ") != std::string::npos);
  CHECK(r.err.find("converged, nothing to do") == std::string::npos);
  CHECK_FALSE(std::filesystem::exists(dir.path() / "iscsi" / "nodes"));  // nothing written
}
#endif
