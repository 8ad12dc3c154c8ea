#include "daemon/daemon_pass.h"

#include <doctest/doctest.h>

#include <algorithm>

#include "testing/fake_runner.h"
#include "testing/test_util.h"

namespace iscsictl {
namespace {

using std::chrono::seconds;
using Record = std::vector<std::pair<std::string, std::string>>;

std::string Get(const Record& r, const std::string& key) {
  for (const auto& [k, v] : r) {
    if (k == key) {
      return v;
    }
  }
  return "";
}

// The records with `key` = `value`.
std::vector<Record> Where(const std::vector<Record>& log, const std::string& key,
                          const std::string& value) {
  std::vector<Record> out;
  std::copy_if(log.begin(), log.end(), std::back_inserter(out),
               [&](const Record& r) { return Get(r, key) == value; });
  return out;
}

ReconcileEnv Env(const testing::TempDir& dir) {
  ReconcileEnv env;
  env.config_path = dir.Write("c.json", R"({"version": 1, "targets": [
    {"name": "iqn.2026-11.lab.target:d", "portal": {"address": "fd00:33::10"}}]})");
  env.sysfs_root = testing::SourcePath("userspace/testdata/sysfs/software");
  env.iscsi_root = (dir.path() / "iscsi").string();
  env.lock_path = (dir.path() / "lock").string();
  env.lock_wait = std::chrono::milliseconds(0);
  return env;
}

}  // namespace

TEST_CASE("removed-NIC grace holds the logout and its record deletions, then lets go") {
  Plan plan;
  NodeKey gone{"iqn.t", "10.0.0.1", 3260, 1, "ictl-020000000001"};
  NodeKey here{"iqn.t", "10.0.0.1", 3260, 1, "ictl-020000000002"};
  plan.actions.push_back({ActionKind::kLogout, gone, 5, "NIC gone", {}, {}});
  plan.actions.push_back({ActionKind::kDeleteNode, gone, 5, "NIC gone", {}, {}});
  plan.actions.push_back({ActionKind::kDeleteIface, {"", "", 0, 0, gone.iface}, -1, "", {}, {}});
  plan.actions.push_back({ActionKind::kLogin, here, -1, "missing", {}, {}});
  std::map<std::string, Clock::time_point> since;
  Clock::time_point t0{};
  int logged = 0;
  LogFn log = [&](const auto&) { ++logged; };
  Plan p1 = plan;
  auto wake = HoldRemovedNicLogouts(p1, {here.iface}, since, seconds(20), t0, log);
  REQUIRE(wake);
  CHECK(*wake == t0 + seconds(20));
  REQUIRE(p1.actions.size() == 1);
  CHECK(p1.actions[0].kind == ActionKind::kLogin);
  CHECK(logged == 1);
  Plan p2 = plan;  // later, still held, same deadline
  wake = HoldRemovedNicLogouts(p2, {here.iface}, since, seconds(20), t0 + seconds(5), log);
  CHECK(*wake == t0 + seconds(20));
  CHECK(p2.actions.size() == 1);
  Plan p3 = plan;  // the grace is over
  CHECK_FALSE(HoldRemovedNicLogouts(p3, {here.iface}, since, seconds(20), t0 + seconds(20), log));
  CHECK(p3.actions.size() == 4);
  Plan p4 = plan;  // the NIC came back: forgotten
  HoldRemovedNicLogouts(p4, {here.iface, gone.iface}, since, seconds(20), t0 + seconds(21), log);
  CHECK(since.empty());
}

TEST_CASE("daemon pass: the pipeline's results as one log record per action, then a summary") {
  testing::TempDir dir;
  ReconcileEnv env = Env(dir);
  testing::FakeIscsid iscsid;
  env.iscsid_socket = iscsid.name();
  testing::FakeRunner runner;
  std::vector<Record> log;
  PassState state;
  PassResult r = ReconcilePass(env, seconds(0), state, runner, [&](const Record& f) {
    log.push_back(f);
  });
  CHECK(r.converged);
  CHECK_FALSE(r.retry);
  CHECK(r.actions == 3);
  REQUIRE(Where(log, "action", "login").size() == 1);
  Record login = Where(log, "action", "login")[0];
  CHECK(Get(login, "portal") == "[fd00:33::10]:3260");
  CHECK(Get(login, "iface") == "ictl-default");
  CHECK(Get(login, "result") == "ok");
  CHECK(Where(log, "result", "ok").size() == 3);
  REQUIRE_FALSE(log.empty());
  CHECK(Get(log.back(), "event") == "reconcile");
  CHECK(Get(log.back(), "result") == "converged");
  CHECK(runner.Calls().size() == 1);
}

TEST_CASE("daemon pass: iscsid down or a bad secret file -> an error record and a retry") {
  testing::TempDir dir;
  ReconcileEnv env = Env(dir);
  env.iscsid_socket = testing::NoIscsid();
  testing::FakeRunner runner;
  std::vector<Record> log;
  PassState state;
  auto keep = [&](const Record& f) { log.push_back(f); };
  PassResult r = ReconcilePass(env, seconds(0), state, runner, keep);
  CHECK(r.retry);
  CHECK_FALSE(r.converged);
  REQUIRE_FALSE(log.empty());
  CHECK(Get(log.back(), "result") == "error");
  CHECK(Get(log.back(), "detail").find("iscsid is not running") != std::string::npos);
  CHECK(runner.Calls().empty());

  log.clear();
  env.config_path = dir.Write("bad.json", R"({"version": 1, "targets": [
    {"name": "iqn.2026-11.lab.target:d", "portal": {"address": "10.0.0.1"},
     "session_defaults": {"auth": {"authmethod": "CHAP", "username": "u",
                                   "password_file": "/nonexistent/secret"}}}]})");
  LoadedConfig loaded = ParseConfigText(testing::ReadText(env.config_path), env.config_path);
  REQUIRE(loaded.ok());
  env.loaded = &loaded;  // the daemon's last good config; its secret file is missing
  r = ReconcilePass(env, seconds(0), state, runner, keep);
  CHECK(r.retry);
  REQUIRE(Where(log, "event", "reconcile-input").size() == 1);
  CHECK(Get(Where(log, "event", "reconcile-input")[0], "detail").find("/nonexistent/secret") !=
        std::string::npos);
  CHECK(Get(log.back(), "status") == "2");
}

TEST_CASE("daemon pass: a NIC that is not there is waited for, noted once, never retried") {
  testing::TempDir dir;
  ReconcileEnv env = Env(dir);
  env.config_path = dir.Write("c.json", R"({"version": 1, "targets": [
    {"name": "iqn.2026-11.lab.target:d", "portal": {"address": "10.33.0.10"},
     "sessions": [{"iface": "02:00:00:00:99:99"}]}]})");
  testing::FakeRunner runner;
  std::vector<Record> log;
  PassState state;
  auto keep = [&](const Record& f) { log.push_back(f); };
  PassResult r = ReconcilePass(env, seconds(0), state, runner, keep);
  CHECK_FALSE(r.retry);  // a steady state until the NIC appears: no backoff loop
  CHECK(r.result == "waiting");
  CHECK(Where(log, "note", "absent").size() == 1);
  CHECK(Get(log.back(), "result") == "waiting");
  r = ReconcilePass(env, seconds(0), state, runner, keep);  // another event, same state
  CHECK_FALSE(r.retry);
  CHECK(Where(log, "note", "absent").size() == 1);  // not logged again
  CHECK(Where(log, "event", "reconcile").size() == 2);
  CHECK(runner.Calls().empty());
}

TEST_CASE("daemon pass: the path wait's note is logged once; no multipathd, no wait") {
  testing::TempDir dir;
  ReconcileEnv env = Env(dir);
  testing::FakeIscsid iscsid;
  env.iscsid_socket = iscsid.name();
  env.exec.path_wait_override = seconds(5);  // (a recorded tree has no multipathd to ask)
  testing::FakeRunner runner;
  std::vector<Record> log;
  PassState state;
  auto t0 = std::chrono::steady_clock::now();
  ReconcilePass(env, seconds(0), state, runner, [&](const Record& f) { log.push_back(f); });
  CHECK(std::chrono::steady_clock::now() - t0 < seconds(5));
  std::vector<Record> notes = Where(log, "event", "path-wait");
  REQUIRE(notes.size() == 1);
  CHECK(Get(notes[0], "result") == "skipped");
  CHECK(Get(notes[0], "detail") == "multipathd not asked: no wait for multipath paths");
  REQUIRE(Where(log, "action", "login").size() == 1);
  CHECK(Get(Where(log, "action", "login")[0], "multipath").empty());
}

}  // namespace iscsictl
