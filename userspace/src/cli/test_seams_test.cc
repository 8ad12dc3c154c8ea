#include "cli/test_seams.h"

#include <doctest/doctest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "base/exit_status.h"
#include "cli/cmd_daemon.h"
#include "testing/test_util.h"

using iscsictl::testing::CliResult;
using iscsictl::testing::RunCliForTest;
using iscsictl::testing::TempDir;

// Each test-only option on each command that has it: honoured in a test build, unknown
// (exit 2, nothing run, nothing written) in a shipped one (issue 14, item 9).
TEST_CASE("test-only options: only in a build made for tests") {
  TempDir dir;
  std::string conf = dir.Write("c.json", R"({"version": 1, "targets": []})");
  std::string root = (dir.path() / "iscsi").string();
  // A "program" that would leave a mark if it ran.
  std::string mark = (dir.path() / "ran").string();
  std::string spy = dir.Write("spy.sh", "#!/bin/sh\ntouch " + mark + "\n");
  std::filesystem::permissions(spy, std::filesystem::perms::owner_all);
  struct Case {
    std::vector<std::string> args;
    const char* option;
  };
  const std::string lock = (dir.path() / "lock").string();
  const std::string sysfs = iscsictl::testing::SysfsFixture("software");
  const Case cases[] = {
      {{"-c", conf, "plan", "--iscsiadm", spy}, "--iscsiadm"},
      {{"-c", conf, "apply", "--iscsiadm", spy, "--lock", lock, "--sysfs-root", sysfs,
        "--iscsi-root", root},
       "--iscsiadm"},
      {{"-c", conf, "plan", "--iscsi-root", root}, "--iscsi-root"},
      {{"-c", conf, "plan", "--lock", lock}, "--lock"},
      {{"-c", conf, "plan", "--sysfs-root", sysfs}, "--sysfs-root"},
      {{"status", "--no-config", "--sysfs-root", sysfs}, "--sysfs-root"},
      {{"nics", "--sysfs-root", sysfs}, "--sysfs-root"},
  };
  for (const Case& c : cases) {
    CliResult r = RunCliForTest(c.args);
    CAPTURE(c.args);
    CAPTURE(r.err);
    if (iscsictl::kTestSeams) {
      CHECK(r.status != iscsictl::kExitBadInput);
      CHECK(r.err.find("not expected") == std::string::npos);
    } else {
      CHECK(r.status == iscsictl::kExitBadInput);
      CHECK(r.err.find(c.option) != std::string::npos);
    }
  }
  // A shipped build never ran the spy nor wrote the record tree; a test build's apply of
  // an empty config on a recorded tree runs no iscsiadm either.
  CHECK_FALSE(std::filesystem::exists(mark));
  if (!iscsictl::kTestSeams) CHECK_FALSE(std::filesystem::exists(root));
}

// The daemon's (it would run: its options are looked at, not executed).
TEST_CASE("test-only options of the daemon: only in a build made for tests") {
  CLI::App app;
  std::string config = "/nonexistent.json";
  iscsictl::DaemonCommand daemon(app, config);
  CLI::App* cmd = app.get_subcommand("daemon");
  for (const char* option : {"--iscsiadm", "--lock", "--iscsi-root"}) {
    CAPTURE(option);
    CHECK((cmd->get_option_no_throw(option) != nullptr) == iscsictl::kTestSeams);
  }
  CHECK(cmd->get_option_no_throw("--textfile") != nullptr);  // a real option stays
}
