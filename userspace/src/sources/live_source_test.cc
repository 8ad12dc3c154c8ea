#include "sources/live_source.h"

#include <doctest/doctest.h>

#include <filesystem>

#include "plan/status_report.h"
#include "report/status_json.h"
#include "report/status_text.h"
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

namespace {

// A copy of a recorded tree that a test may change.
std::filesystem::path CopyFixture(const iscsictl::testing::TempDir& tmp, const std::string& name) {
  std::filesystem::path dst = tmp.path() / "root";
  std::filesystem::copy(Fixture(name), dst,
                        std::filesystem::copy_options::recursive |
                            std::filesystem::copy_options::copy_symlinks);
  return dst;
}

}  // namespace

TEST_CASE("live source: a failing dump falls back to sysfs and says why") {
  for (const char* why : {"netlink dump ended early: Message too long (errno 90)",
                          "netlink dump refused: Operation not permitted (errno 1)",
                          "netlink: malformed message from iscsi_iface"}) {
    CAPTURE(why);
    LiveStateSource source(Fixture("software"));
    source.SetNetlinkReaderForTest([&](std::string* error) -> std::optional<LiveState> {
      *error = why;
      return std::nullopt;
    });
    std::string error;
    std::optional<LiveState> st = source.Read(&error);
    REQUIRE(st.has_value());
    CHECK(source.Used() == "sysfs");
    CHECK(st->module_loaded);
    CHECK(st->via == "sysfs");
    CHECK(st->fallback == why);
    CHECK(st->module_note.empty());
    CHECK(st->sessions.size() == ReadSysfsLiveState(Fixture("software")).sessions.size());
    StatusReport report = BuildStatus(*st, {}, nullptr);
    CHECK(StatusToJson(report)["live_fallback"] == why);
    CHECK(StatusToJson(report)["live_source"] == "sysfs");
    CHECK(FormatStatus(report).find(std::string("module's netlink dump unusable (") + why +
                                    "): live state from sysfs\n") != std::string::npos);
  }
}

TEST_CASE("live source: a dump that works is used, and nothing is noted") {
  LiveStateSource source(Fixture("software"));
  source.SetNetlinkReaderForTest([](std::string*) -> std::optional<LiveState> {
    LiveState st = ReadSysfsLiveState(Fixture("software"));
    return st;
  });
  std::string error;
  std::optional<LiveState> st = source.Read(&error);
  REQUIRE(st.has_value());
  CHECK(st->via == "netlink");
  CHECK(st->fallback.empty());
  StatusReport report = BuildStatus(*st, {}, nullptr);
  CHECK(StatusToJson(report)["live_fallback"].is_null());
  CHECK(FormatStatus(report).find("unusable") == std::string::npos);
}

TEST_CASE("live source: without the module, status says whether it refused to load") {
  iscsictl::testing::TempDir tmp;
  std::filesystem::path root = CopyFixture(tmp, "software-nomodule");
  LiveStateSource plain(root.string());
  std::string error;
  std::optional<LiveState> st = plain.Read(&error);
  REQUIRE(st.has_value());
  CHECK_FALSE(st->module_loaded);
  CHECK(st->module_note == "not loaded");
  CHECK(st->fallback.empty());
  CHECK(StatusToJson(BuildStatus(*st, {}, nullptr))["module_note"] == "not loaded");
  size_t sessions = st->sessions.size();
  CHECK(sessions == 3);

  tmp.Write("root/dev/kmsg",
            "3,900,5000,-;iscsi_iface_attrs: layout check failed: scsi_transport_iscsi's private "
            "struct iscsi_internal is not the one this module was built for; not loading\n");
  LiveStateSource refused(root.string());
  st = refused.Read(&error);
  REQUIRE(st.has_value());
  CHECK(st->module_note == "refused to load: layout check failed (kernel log)");
  CHECK(st->sessions.size() == sessions);  // still every session, from sysfs
  StatusReport report = BuildStatus(*st, {}, nullptr);
  CHECK(StatusToJson(report)["module_note"] == st->module_note);
  std::string text = FormatStatus(report);
  CHECK(text.find("module iscsi_iface_attrs: not loaded;") != std::string::npos);
  CHECK(text.find("module iscsi_iface_attrs refused to load: layout check failed (kernel log): "
                  "live state from sysfs\n") != std::string::npos);
}
