// The reconcile pipeline end to end below the CLI: a recorded sysfs tree, a temporary
// record database, a fake iscsiadm (FakeRunner) and a fake or absent iscsid socket.
#include "exec/reconcile.h"

#include <doctest/doctest.h>

#include <filesystem>

#include "store/record_store.h"
#include "testing/fake_runner.h"
#include "testing/test_util.h"

namespace iscsictl {
namespace {

using testing::FakeIscsid;
using testing::FakeRunner;
using testing::TempDir;

// One target over the default route (no NIC binding: ready on a recorded tree, whose NICs
// have no addresses) at an IPv6 portal.
constexpr const char* kConfig = R"({"version": 1, "targets": [
  {"name": "iqn.2026-11.lab.target:v6", "tpgt": 1, "portal": {"address": "fd00:33::10"}}]})";

ReconcileEnv Env(const TempDir& dir, const std::string& config) {
  ReconcileEnv env;
  env.config_path = dir.Write("c.json", config);
  env.sysfs_root = testing::SourcePath("userspace/testdata/sysfs/software");
  env.iscsi_root = (dir.path() / "iscsi").string();
  env.lock_path = (dir.path() / "lock").string();
  env.lock_wait = std::chrono::milliseconds(0);
  env.iscsid_socket = testing::NoIscsid();
  return env;
}

std::optional<std::string> Apply(const Gathered& in, Plan& plan) {
  plan = MakePlan(in.bindings, in.observed, {});
  return std::nullopt;
}

const std::vector<std::string> kLoginV6 = {"iscsiadm",
                                           "-m",
                                           "node",
                                           "-T",
                                           "iqn.2026-11.lab.target:v6",
                                           "-p",
                                           "[fd00:33::10]:3260,1",
                                           "-I",
                                           "ictl-default",
                                           "--login"};

}  // namespace

TEST_CASE("pipeline: gather returns the inputs and what went wrong, as data") {
  TempDir dir;
  ReconcileEnv env = Env(dir, kConfig);
  Gathered in = Gather(env);
  CHECK(in.ok());
  CHECK(in.warnings.empty());
  CHECK(in.live_via == "sysfs");
  CHECK(in.observed.sessions.size() == 3);  // the tree's sessions, all foreign
  REQUIRE(in.bindings.size() == 1);
  CHECK(in.bindings[0].key.address == "fd00:33::10");
  CHECK(in.bindings[0].key.iface == "ictl-default");

  ReconcileEnv bad = Env(dir, R"({"version": 1, "targets": [{"name": 5}]})");
  Gathered none = Gather(bad);
  REQUIRE_FALSE(none.ok());
  CHECK(none.errors[0].pointer == "/targets/0/name");
  CHECK(none.nics.empty());  // stopped at the config
  CHECK(none.observed.sessions.empty());
}

TEST_CASE("pipeline: iscsid down -> the run stops before any record or iscsiadm call") {
  TempDir dir;
  ReconcileEnv env = Env(dir, kConfig);
  FakeRunner runner;
  ReconcileRun run = Prepare(env, Apply);
  REQUIRE(run.stop == ReconcileRun::Stop::kNone);
  REQUIRE(run.lock.has_value());
  CHECK(run.plan.actions.size() == 3);  // write-iface, write-node, login
  CarryOut(run, env, runner, nullptr);
  CHECK(run.stop == ReconcileRun::Stop::kIscsid);
  CHECK(run.error.find("iscsid is not running") != std::string::npos);
  CHECK_FALSE(run.exec.has_value());
  CHECK(runner.Calls().empty());
  CHECK_FALSE(std::filesystem::exists(env.iscsi_root));
}

TEST_CASE("pipeline: iscsid up -> records, then the login through the runner (IPv6 bracketed)") {
  TempDir dir;
  ReconcileEnv env = Env(dir, kConfig);
  FakeIscsid iscsid;
  REQUIRE(iscsid.listening());
  env.iscsid_socket = iscsid.name();
  FakeRunner runner;
  std::vector<std::string> progress;
  ReconcileRun run = Prepare(env, Apply);
  CarryOut(run, env, runner, [&](const std::string& line) { progress.push_back(line); });
  CHECK(run.stop == ReconcileRun::Stop::kNone);
  REQUIRE(run.exec.has_value());
  CHECK(run.Failed() == 0);
  CHECK(run.Skipped() == 0);
  REQUIRE(runner.Calls().size() == 1);
  CHECK(runner.Calls()[0] == kLoginV6);
  CHECK(progress.size() == 3);
  RecordDb db = RecordStore(env.iscsi_root).Read();
  REQUIRE(db.nodes.size() == 1);
  CHECK(db.nodes.begin()->first.address == "fd00:33::10");  // the directory: no brackets
  CHECK(db.nodes.begin()->second.fields.at("node.conn[0].address") == "fd00:33::10");
  CHECK(db.ifaces.count("ictl-default") == 1);
}

TEST_CASE("pipeline: a failed login is data for the caller to report") {
  TempDir dir;
  ReconcileEnv env = Env(dir, kConfig);
  FakeIscsid iscsid;
  env.iscsid_socket = iscsid.name();
  FakeRunner runner;
  runner.answers["[fd00:33::10]:3260,1"] = testing::Exited(8, "iscsiadm: login failed\n");
  ReconcileRun run = Prepare(env, Apply);
  CarryOut(run, env, runner, nullptr);
  CHECK(run.stop == ReconcileRun::Stop::kNone);
  CHECK(run.Failed() == 1);
  CHECK(run.exec->outcomes[2].detail == "exit 8: iscsiadm: login failed");
}

TEST_CASE("pipeline: lock held for the run; a refused plan step stops it") {
  TempDir dir;
  ReconcileEnv env = Env(dir, kConfig);
  ReconcileRun run = Prepare(env, [](const Gathered&, Plan&) -> std::optional<std::string> {
    return "-T TARGET is required";
  });
  CHECK(run.stop == ReconcileRun::Stop::kRefused);
  CHECK(run.error == "-T TARGET is required");
  ReconcileRun second = Prepare(env, Apply);  // the first run still holds the lock
  CHECK(second.stop == ReconcileRun::Stop::kLock);
  CHECK(second.error.find("held by another iscsictl") != std::string::npos);
  FakeRunner runner;
  CarryOut(run, env, runner, nullptr);  // a stopped run carries nothing out
  CHECK(runner.Calls().empty());
}

}  // namespace iscsictl

namespace iscsictl {

TEST_CASE("pipeline: disk use only for the disks of the sessions a plan logs out") {
  TempDir root;
  for (const char* b : {"sda", "sdb", "sdc"}) {
    root.Write(std::string("sys/block/") + b + "/device/wwid", std::string("naa.") + b + "\n");
  }
  root.Write("sys/block/sda/dev", "8:0\n");
  root.Write("sys/block/sdb/dev", "8:16\n");
  root.Write("sys/block/sdc/dev", "8:32\n");
  root.Write("proc/self/mountinfo", "40 1 8:0 / /mnt/a rw - ext4 /dev/sda rw\n"
                                    "41 1 8:16 / /mnt/b rw - ext4 /dev/sdb rw\n");
  ReconcileEnv env;
  env.sysfs_root = root.path().string();
  Gathered in;
  for (int sid = 1; sid <= 3; ++sid) {
    LiveSession s;
    s.sid = sid;
    s.disks = {{"2:0:0:" + std::to_string(sid), std::string("sd") + char('a' + sid - 1),
                "running", {}}};
    in.live.push_back(s);
  }
  Plan plan;
  // No logout: nothing is read although sda and sdb are mounted.
  CHECK_FALSE(AddLogoutDiskUse(env, plan, in));
  CHECK(in.observed.disks.empty());
  // Session 3's disk is not in use: nothing the last-path rule would keep.
  plan.actions.push_back({ActionKind::kLogout, {}, 3, "", {}, {}});
  CHECK_FALSE(AddLogoutDiskUse(env, plan, in));
  CHECK(in.observed.disks.empty());
  // Session 1's is mounted: its use, and only the WWIDs of the others.
  plan.actions.push_back({ActionKind::kLogout, {}, 1, "", {}, {}});
  CHECK(AddLogoutDiskUse(env, plan, in));
  REQUIRE(in.observed.disks.size() == 3);
  CHECK(in.observed.disks["sda"].why == "sda mounted on /mnt/a");
  CHECK_FALSE(in.observed.disks["sdb"].in_use);  // mounted, but staying: not asked
  CHECK(in.observed.disks["sdb"].wwid == "naa.sdb");
  CHECK_FALSE(in.observed.disks["sdc"].in_use);
}

}  // namespace iscsictl
