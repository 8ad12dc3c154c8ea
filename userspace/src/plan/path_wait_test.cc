#include "plan/path_wait.h"

#include <doctest/doctest.h>

namespace iscsictl {
namespace {

// mpatha over sdb (active) and sdc (failed); `dm_read` false: dm could not be read.
MultipathState Maps(bool dm_read = true) {
  MpathMap m;
  m.name = "mpatha";
  m.dm = "dm-0";
  m.dm_read = dm_read;
  m.paths.push_back({"sdb", "8:16", dm_read ? "active" : "", 0, 1, "", -1});
  m.paths.push_back({"sdc", "8:32", dm_read ? "failed" : "", 1, 1, "", -1});
  MultipathState st;
  st.maps.push_back(m);
  return st;
}

ObservedSession Session(std::vector<std::string> blocks) {
  return {3,
          {"iqn.2003-01.org.x:t", "10.0.0.1", 3260, 1, "ictl-5254000c160c"},
          "LOGGED_IN",
          std::move(blocks)};
}

}  // namespace

TEST_CASE("path wait verdict: an active path of a map ends the wait, named") {
  ObservedSession s = Session({"sdb"});
  PathVerdict v = JudgePath(&s, Maps(), false, 15, std::nullopt);
  CHECK(v.done);
  CHECK(v.active);
  CHECK(v.text == "path sdb active in mpatha");
}

TEST_CASE("path wait verdict: a session without a SCSI device (no LUNs) is not waited for") {
  ObservedSession s = Session({});
  PathVerdict v = JudgePath(&s, Maps(), false, 15, std::nullopt);
  CHECK(v.done);
  CHECK_FALSE(v.active);
  CHECK(v.text == "no disk yet");
}

TEST_CASE("path wait verdict: not in a map, a failed path, no block device yet: wait, then why") {
  for (const char* dev : {"sdd", "sdc", ""}) {
    ObservedSession s = Session({dev});
    CHECK_FALSE(JudgePath(&s, Maps(), false, 15, std::nullopt).done);
  }
  ObservedSession out = Session({"sdd"});
  PathVerdict v = JudgePath(&out, Maps(), true, 15, std::set<std::string>{"sdb", "sdd"});
  CHECK(v.done);
  CHECK_FALSE(v.active);
  CHECK(v.text == "sdd not in a map after 15 s");
  // multipathd does not list it: it refused the device.
  v = JudgePath(&out, Maps(), true, 15, std::set<std::string>{"sdb"});
  CHECK(v.text == "sdd not in a map after 15 s: multipathd does not list it (blacklisted)");
  ObservedSession failed = Session({"sdc"});
  CHECK(JudgePath(&failed, Maps(), true, 15, std::nullopt).text ==
        "path sdc failed in mpatha after 15 s");
  ObservedSession unnamed = Session({""});
  CHECK(JudgePath(&unnamed, Maps(), true, 15, std::nullopt).text ==
        "no disk yet (a LUN without a block device after 15 s)");
}

TEST_CASE("path wait verdict: every disk of the session counts; dm unreadable: membership") {
  ObservedSession two = Session({"sdb", "sdd"});
  PathVerdict v = JudgePath(&two, Maps(), false, 15, std::nullopt);
  CHECK_FALSE(v.done);
  v = JudgePath(&two, Maps(), true, 15, std::nullopt);
  CHECK(v.done);
  CHECK_FALSE(v.active);
  CHECK(v.text == "path sdb active in mpatha; sdd not in a map after 15 s");
  ObservedSession s = Session({"sdc"});
  v = JudgePath(&s, Maps(false), false, 15, std::nullopt);
  CHECK(v.done);
  CHECK(v.text == "path sdc in mpatha");
  CHECK(JudgePath(nullptr, Maps(), false, 15, std::nullopt).done);
}

}  // namespace iscsictl
