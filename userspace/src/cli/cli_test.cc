#include "cli/cli.h"

#include <doctest/doctest.h>
#include <sys/prctl.h>

#include <sstream>

#include "base/version.h"
#include "testing/test_util.h"

using iscsictl::testing::CliResult;
using iscsictl::testing::RunCliForTest;

TEST_CASE("--version, --help, bad usage") {
  CliResult v = RunCliForTest({"--version"});
  CHECK(v.status == 0);
  CHECK(v.out.find(std::string(iscsictl::Version())) != std::string::npos);
  CliResult h = RunCliForTest({"--help"});
  CHECK(h.status == 0);
  CHECK(h.out.find("validate") != std::string::npos);
  CHECK(h.out.find("import") != std::string::npos);
  CHECK(RunCliForTest({}).status == 0);
  CHECK(RunCliForTest({"--no-such-option"}).status == iscsictl::kExitBadInput);
  CHECK(RunCliForTest({"no-such-command"}).status == iscsictl::kExitBadInput);
  CHECK(RunCliForTest({"validate", "a", "b"}).status == iscsictl::kExitBadInput);
}

TEST_CASE("validate --resolved hides inline secrets") {
  iscsictl::testing::TempDir dir;
  std::string path = dir.Write("c.json", R"({"targets": [{"name": "iqn.2001-05.com.x",
      "portal": {"address": "10.0.0.1"}, "session_defaults": {"auth": {"authmethod": "CHAP",
      "username": "u", "password": "inline-s3cret", "username_in": "t",
      "password_in": "other-s3cret"}}}]})");
  CliResult r = RunCliForTest({"validate", "--resolved", path});
  CHECK(r.status == 0);
  CHECK(r.out.find("s3cret") == std::string::npos);
  CHECK(r.out.find("(inline, hidden)") != std::string::npos);
  CHECK(r.out.find("\"FirstBurstLength\": 262144") != std::string::npos);
}

TEST_CASE("every command runs with core dumps off, before anything is read") {
  // main() is RunCli (RunCliForTest restores the test's own setting: called directly here).
  REQUIRE(prctl(PR_SET_DUMPABLE, 1, 0, 0, 0) == 0);
  REQUIRE(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) == 1);
  std::vector<std::string> storage;
  std::vector<char*> argv = iscsictl::testing::Argv(storage, "iscsictl", {"--version"});
  std::ostringstream out, err;
  CHECK(iscsictl::RunCli(static_cast<int>(storage.size()), argv.data(), out, err) == 0);
  CHECK(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) == 0);
  (void)prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);  // the test binary itself may dump
}
