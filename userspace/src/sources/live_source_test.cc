#include "sources/live_source.h"

#include <doctest/doctest.h>

#include "sources/sysfs_reader.h"
#include "testing/test_util.h"

using namespace iscsictl;
using iscsictl::testing::SourcePath;

constexpr auto* Fixture = &iscsictl::testing::SysfsFixture;

TEST_CASE("live source: a recorded tree is read through sysfs") {
  LiveStateSource source(Fixture("software"));
  std::string error;
  std::optional<LiveState> st = source.Read(&error);
  REQUIRE(st.has_value());
  CHECK(source.Used() == "sysfs");
  LiveState direct = ReadSysfsLiveState(Fixture("software"));
  REQUIRE(st->sessions.size() == direct.sessions.size());
  CHECK(st->sessions.size() == 3);
  CHECK(st->hosts.size() == direct.hosts.size());
  CHECK(st->module_loaded == direct.module_loaded);
  for (size_t i = 0; i < st->sessions.size(); ++i) {
    CHECK(st->sessions[i].sid == direct.sessions[i].sid);
    CHECK(st->sessions[i].targetname == direct.sessions[i].targetname);
  }
}

TEST_CASE("live source: netlink cannot read a recorded tree, and says so") {
  LiveStateSource source(Fixture("software"), LiveVia::kNetlink);
  std::string error;
  CHECK_FALSE(source.Read(&error).has_value());
  CHECK(error.find("live system only") != std::string::npos);
}

// This machine: netlink when the module's family answers (then the required read works
// too), else sysfs, which kAuto falls back to and kNetlink refuses with the reason.
TEST_CASE("live source: netlink when the module's family answers, else sysfs") {
  std::string error;
  LiveStateSource required("/", LiveVia::kNetlink);
  std::optional<LiveState> nl = required.Read(&error);
  LiveStateSource any("/");
  std::optional<LiveState> st = any.Read(&error);
  REQUIRE(st.has_value());
  if (nl) {
    CHECK(required.Used() == "netlink");
    CHECK(any.Used() == "netlink");
    CHECK(st->module_loaded);
  } else {
    CHECK_FALSE(error.empty());
    CHECK(any.Used() == "sysfs");
    CHECK(st->sessions.size() == ReadSysfsLiveState("/").sessions.size());
  }
  LiveStateSource sysfs("/", LiveVia::kSysfs);
  REQUIRE(sysfs.Read(&error).has_value());
  CHECK(sysfs.Used() == "sysfs");
}
