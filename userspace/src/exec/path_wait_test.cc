#include "exec/path_wait.h"

#include <doctest/doctest.h>

#include "testing/fake_runner.h"
#include "testing/test_util.h"

namespace iscsictl {
namespace {

using Steady = std::chrono::steady_clock;

Action Login(const std::string& address) {
  return {ActionKind::kLogin,
          {"iqn.2003-01.org.x:t", address, 3260, 1, "ictl-default"},
          -1,
          "",
          {},
          {}};
}

// A host whose disks join mpatha at given polls: a fake clock advanced by sleep, the live
// sessions and maps as of the current poll.
struct FakeHost {
  Steady::time_point t{};
  int polls = 0;  // reads of the maps
  int sleeps = 0;
  bool multipathd = true;
  bool asked_paths = false;
  // address -> (block device, poll from which it is an active path of mpatha; -1 never)
  std::map<std::string, std::pair<std::string, int>> disks;

  PathWaitIo Io() {
    PathWaitIo io;
    io.sessions = [this] {
      std::vector<ObservedSession> out;
      int sid = 1;
      for (const auto& [address, disk] : disks) {
        ObservedSession s{sid++, Login(address).key, "LOGGED_IN", {}};
        if (!disk.first.empty()) {
          s.blocks.push_back(disk.first);
        }
        out.push_back(s);
      }
      return out;
    };
    io.maps = [this] {
      MpathMap m;
      m.name = "mpatha";
      m.dm_read = true;
      for (const auto& [address, disk] : disks) {
        if (disk.second >= 0 && polls >= disk.second) {
          m.paths.push_back({disk.first, "", "active", 0, 1, "", -1});
        }
      }
      ++polls;
      MultipathState st;
      st.maps.push_back(m);
      return st;
    };
    io.multipathd_down = [this]() -> std::optional<std::string> {
      if (multipathd)
        return std::nullopt;
      return std::string("multipathd is not running (no socket)");
    };
    io.multipathd_paths = [this]() -> std::optional<std::set<std::string>> {
      asked_paths = true;
      return std::set<std::string>{"sdb", "sdc"};
    };
    io.now = [this] { return t; };
    io.sleep = [this](std::chrono::milliseconds d) {
      ++sleeps;
      t += d;
    };
    return io;
  }
};

Plan Logins(const std::vector<std::string>& addresses) {
  Plan plan;
  for (const std::string& a : addresses)
    plan.actions.push_back(Login(a));
  return plan;
}

ExecResult AllOk(const Plan& plan) {
  ExecResult r;
  r.outcomes.resize(plan.actions.size());
  for (size_t i = 0; i < r.outcomes.size(); ++i) {
    r.outcomes[i].index = i;
    r.outcomes[i].ok = true;
  }
  return r;
}

}  // namespace

TEST_CASE("path wait: one poll loop for every new session, each done when its path is active") {
  FakeHost host;
  host.disks = {{"10.0.0.1", {"sdb", 2}}, {"10.0.0.2", {"sdc", 4}}, {"10.0.0.3", {"", -1}}};
  Plan plan = Logins({"10.0.0.1", "10.0.0.2", "10.0.0.3"});
  ExecResult r = AllOk(plan);
  std::vector<std::string> lines;
  std::string note = WaitForPaths(plan, {0, 1, 2}, std::chrono::seconds(15), host.Io(), r,
                                  [&](const std::string& l) { lines.push_back(l); });
  CHECK(note.empty());
  CHECK(r.outcomes[0].path == "path sdb active in mpatha");
  CHECK(r.outcomes[0].path_active);
  CHECK(r.outcomes[1].path == "path sdc active in mpatha");
  CHECK(r.outcomes[2].path == "no disk yet");  // no LUN: not waited for
  CHECK(r.outcomes[2].path_seconds == 0);
  // Concurrently: 5 polls in all (not 3 + 5 one after the other), 250 ms apart.
  CHECK(host.polls == 5);
  CHECK(host.sleeps == 4);
  CHECK(r.outcomes[0].path_seconds == doctest::Approx(0.5));
  CHECK(r.outcomes[1].path_seconds == doctest::Approx(1.0));
  CHECK_FALSE(host.asked_paths);
  CHECK(lines == std::vector<std::string>{"waiting up to 15 s for 3 new paths in multipath maps"});
}

TEST_CASE("path wait: bounded; at the limit each says why, multipathd asked what it lists") {
  FakeHost host;
  host.disks = {{"10.0.0.1", {"sdb", -1}}, {"10.0.0.2", {"sdx", -1}}};
  Plan plan = Logins({"10.0.0.1", "10.0.0.2"});
  ExecResult r = AllOk(plan);
  WaitForPaths(plan, {0, 1}, std::chrono::seconds(2), host.Io(), r);
  CHECK(host.t - Steady::time_point{} == std::chrono::seconds(2));
  CHECK(host.polls == 9);  // t = 0, 0.25, ..., 2.0
  CHECK(host.asked_paths);
  CHECK(r.outcomes[0].path == "sdb not in a map after 2 s");
  CHECK_FALSE(r.outcomes[0].path_active);
  CHECK(r.outcomes[1].path ==
        "sdx not in a map after 2 s: multipathd does not list it (blacklisted)");
}

TEST_CASE("path wait: no multipathd, no wait (said once); 0 or failed logins: nothing read") {
  FakeHost host;
  host.multipathd = false;
  host.disks = {{"10.0.0.1", {"sdb", 0}}};
  Plan plan = Logins({"10.0.0.1"});
  ExecResult r = AllOk(plan);
  CHECK(WaitForPaths(plan, {0}, std::chrono::seconds(15), host.Io(), r) ==
        "multipathd is not running (no socket): no wait for multipath paths");
  CHECK(host.polls == 0);
  CHECK(r.outcomes[0].path.empty());
  host.multipathd = true;
  CHECK(WaitForPaths(plan, {0}, std::chrono::seconds(0), host.Io(), r).empty());
  r.outcomes[0].ok = false;
  CHECK(WaitForPaths(plan, {0}, std::chrono::seconds(15), host.Io(), r).empty());
  CHECK(host.polls == 0);
}

TEST_CASE("executor: with a path wait, each login's line carries its path") {
  testing::TempDir dir;
  RecordStore store(dir.path().string());
  Plan plan = Logins({"10.0.0.1", "10.0.0.2"});
  testing::FakeRunner runner;
  ExecOptions options;
  options.path_wait = std::chrono::seconds(15);
  std::vector<std::string> lines;
  int waits = 0;
  PathWaitFn wait = [&](const Plan&, const std::vector<size_t>& logins, ExecResult& r,
                        const ProgressFn&) {
    ++waits;
    CHECK(logins.size() == 2);
    CHECK(lines.empty());  // the login lines wait for the verdicts
    r.outcomes[0].path = "path sdb active in mpatha";
    r.outcomes[0].path_active = true;
    r.outcomes[0].path_seconds = 1.4;
    r.outcomes[1].path = "sdc not in a map after 15 s";
    return std::string();
  };
  ExecResult r = Execute(
      plan, store, runner, options, [&](const std::string& l) { lines.push_back(l); }, {}, wait);
  CHECK(waits == 1);
  REQUIRE(lines.size() == 2);
  std::string all = lines[0] + "\n" + lines[1];
  CHECK(all.find("10.0.0.1:3260,1 via ictl-default: ok, path sdb active in mpatha after 1.4 s (") !=
        std::string::npos);
  CHECK(all.find(": ok, sdc not in a map after 15 s (") != std::string::npos);
  // path_wait 0: no wait at all.
  options.path_wait = std::chrono::seconds(0);
  (void)Execute(plan, store, runner, options, nullptr, {}, wait);
  CHECK(waits == 1);
}

}  // namespace iscsictl
