#include "exec/executor.h"

#include <doctest/doctest.h>
#include <sys/stat.h>

#include <functional>
#include <mutex>
#include <set>

#include "testing/fake_runner.h"
#include "testing/test_util.h"

namespace iscsictl {
namespace {

using testing::Exited;
using testing::FakeRunner;

Action Login(const std::string& address, const std::string& iface) {
  return {ActionKind::kLogin, {"iqn.2003-01.org.x:t", address, 3260, 1, iface}, -1, "", {}, {}};
}

}  // namespace

TEST_CASE("executor: parallel logins, bounded; one failure does not stop the others") {
  testing::TempDir dir;
  RecordStore store(dir.path().string());
  Plan plan;
  for (int i = 0; i < 6; ++i) {
    plan.actions.push_back(Login("10.0.0." + std::to_string(i), "ictl-default"));
  }
  // The first 3 calls wait for each other: 3 logins must be in flight at once.
  FakeRunner runner(3);
  runner.answers["10.0.0.2:3260,1"] = Exited(8, "iscsiadm: connection login retries reached\n");
  runner.answers["10.0.0.3:3260,1"] = Exited(15, "iscsiadm: session exists\n");
  ExecOptions options;
  options.jobs = 3;
  std::vector<std::string> lines;
  std::mutex mu;
  ExecResult r = Execute(plan, store, runner, options, [&](const std::string& l) {
    std::lock_guard<std::mutex> lock(mu);
    lines.push_back(l);
  });
  std::vector<std::vector<std::string>> calls = runner.Calls();
  CHECK(calls.size() == 6);
  CHECK_FALSE(runner.GateTimedOut());
  CHECK(runner.MaxParallel() == 3);  // at least 3 by the gate, never more than jobs
  CHECK(r.Failed() == 1);
  CHECK_FALSE(r.outcomes[2].ok);
  CHECK(r.outcomes[2].detail == "exit 8: iscsiadm: connection login retries reached");
  CHECK(r.outcomes[3].ok);
  CHECK(r.outcomes[3].detail == "already logged in");
  CHECK(lines.size() == 6);
  CHECK(lines.back().rfind("login 6/6 ", 0) == 0);
  // Every planned login once, in whatever order the workers took them.
  std::set<std::vector<std::string>> expected;
  for (int i = 0; i < 6; ++i) {
    expected.insert({"iscsiadm", "-m", "node", "-T", "iqn.2003-01.org.x:t", "-p",
                     "10.0.0." + std::to_string(i) + ":3260,1", "-I", "ictl-default", "--login"});
  }
  CHECK(std::set<std::vector<std::string>>(calls.begin(), calls.end()) == expected);
}

TEST_CASE("executor: records before logins, secrets only in the 0600 file, never in argv") {
  testing::TempDir dir;
  RecordStore store(dir.path().string());
  Plan plan;
  NodeKey k{"iqn.2003-01.org.x:t", "10.0.0.1", 3260, 1, "ictl-default"};
  plan.actions.push_back({ActionKind::kWriteIface,
                          {"", "", 0, 0, "ictl-default"},
                          -1,
                          "",
                          {},
                          IfaceFields("ictl-default", "")});
  plan.actions.push_back({ActionKind::kWriteNode,
                          k,
                          -1,
                          "",
                          {},
                          {{"node.name", k.target}, {"node.session.auth.password", "s3cret"}}});
  plan.actions.push_back(Login("10.0.0.1", "ictl-default"));
  // The runner looks at the record when the login starts: written already, mode 0600.
  struct RecordWatcher : FakeRunner {
    std::string path;
    unsigned mode_at_login = 0;
    std::string text_at_login;
    ProcessResult Run(const ProcessSpec& spec) override {
      struct stat st {};
      mode_at_login = stat(path.c_str(), &st) == 0 ? (st.st_mode & 07777) : 0;
      text_at_login = testing::ReadText(path);
      return FakeRunner::Run(spec);
    }
  } runner;
  runner.path = store.NodePath(k);
  ExecResult r = Execute(plan, store, runner, {}, nullptr);
  CHECK(r.Failed() == 0);
  std::vector<std::vector<std::string>> calls = runner.Calls();
  REQUIRE(calls.size() == 1);
  for (const std::string& a : calls[0]) {
    CHECK(a.find("s3cret") == std::string::npos);
  }
  CHECK(runner.mode_at_login == 0600);
  CHECK(runner.text_at_login.find("node.session.auth.password = s3cret\n") != std::string::npos);
  CHECK(store.Read().nodes.at(k).fields.at("node.session.auth.password") == "s3cret");
}

TEST_CASE("executor: a failed logout keeps the session's records") {
  testing::TempDir dir;
  RecordStore store(dir.path().string());
  NodeKey k{"iqn.2003-01.org.x:t", "10.0.0.1", 3260, 1, "ictl-5254000b0001"};
  REQUIRE_FALSE(store.WriteNode({k, {{"node.name", k.target}}}));
  REQUIRE_FALSE(store.WriteIface({k.iface, IfaceFields(k.iface, "52:54:00:0b:00:01")}));
  Plan plan;
  plan.actions.push_back({ActionKind::kLogout, k, 7, "", {}, {}});
  plan.actions.push_back({ActionKind::kDeleteNode, k, 7, "", {}, {}});
  plan.actions.push_back({ActionKind::kDeleteIface, {"", "", 0, 0, k.iface}, -1, "", {}, {}});
  FakeRunner runner;
  runner.answers["7"] = Exited(4, "iscsiadm: could not logout\n");
  ExecResult r = Execute(plan, store, runner, {}, nullptr);
  CHECK(r.Failed() == 1);
  CHECK(r.outcomes[1].skipped);
  CHECK(r.outcomes[2].skipped);
  RecordDb db = store.Read();
  CHECK(db.nodes.size() == 1);
  CHECK(db.ifaces.size() == 1);
  // Logout of a session that is already gone (exit 21) counts as done.
  runner.answers["7"] = Exited(21, "iscsiadm: No matching sessions found\n");
  r = Execute(plan, store, runner, {}, nullptr);
  CHECK(r.Failed() == 0);
  CHECK(store.Read().nodes.empty());
  CHECK(store.Read().ifaces.empty());
}

TEST_CASE("executor: batched logins; a failed session of a batch is reported on it alone") {
  testing::TempDir dir;
  RecordStore store(dir.path().string());
  const std::string nic1 = "ictl-5254000b0001", nic2 = "ictl-5254000b0002";
  Plan plan;
  std::vector<NodeKey> keys;
  for (const std::string& nic : {nic1, nic2}) {
    for (int t = 0; t < 3; ++t) {
      NodeKey k{"iqn.2003-01.org.x:t" + std::to_string(t), "10.0.0.1", 3260, 1, nic};
      keys.push_back(k);
      plan.actions.push_back({ActionKind::kWriteNode, k, -1, "", {}, {{"node.name", k.target}}});
    }
  }
  for (const NodeKey& k : keys) {
    plan.actions.push_back({ActionKind::kLogin, k, -1, "", {}, {}});
  }
  // A foreign record of t0 on another iface: not iscsictl's, never in a batch of ours.
  REQUIRE_FALSE(store.WriteNode({{keys[0].target, "10.0.0.9", 3260, 1, "default"}, {}}));
  FakeRunner runner(2);
  runner.answers[nic2] = Exited(8, "iscsiadm: Could not log into all portals\n");
  // After the batches, the kernel shows every session but NIC2's t1 (FAILED) and t2 (none).
  int probes = 0;
  SessionProbe probe = [&] {
    ++probes;
    std::vector<ObservedSession> live;
    int sid = 1;
    for (const NodeKey& k : keys) {
      if (k.iface == nic2 && k.target.ends_with("t2")) {
        continue;
      }
      bool failed = k.iface == nic2 && k.target.ends_with("t1");
      live.push_back({sid++, k, failed ? "FAILED" : "LOGGED_IN", {}});
    }
    return live;
  };
  std::vector<std::string> lines;
  std::mutex mu;
  ExecResult r = Execute(
      plan, store, runner, {}, [&](const std::string& l) {
        std::lock_guard<std::mutex> lock(mu);
        lines.push_back(l);
      },
      probe);
  // One iscsiadm per NIC, both at once.
  std::vector<std::vector<std::string>> calls = runner.Calls();
  CHECK(std::set<std::vector<std::string>>(calls.begin(), calls.end()) ==
        std::set<std::vector<std::string>>{{"iscsiadm", "-m", "node", "-I", nic1, "--login"},
                                           {"iscsiadm", "-m", "node", "-I", nic2, "--login"}});
  CHECK_FALSE(runner.GateTimedOut());
  CHECK(probes == 1);  // only the failed batch needs the kernel's word
  CHECK(r.Failed() == 2);
  for (size_t i = 6; i < 12; ++i) {
    const NodeKey& k = plan.actions[i].key;
    bool bad = k.iface == nic2 && !k.target.ends_with("t0");
    CHECK_MESSAGE(r.outcomes[i].ok == !bad, k.ToString());
  }
  CHECK(r.outcomes[10].detail == "exit 8: session 5 is FAILED after the batch login");
  CHECK(r.outcomes[11].detail == "exit 8: no session after the batch login");
  // Progress per session: 6 record writes, then login 1/6 .. 6/6.
  size_t login_lines = 0;
  for (const std::string& l : lines) {
    login_lines += l.rfind("login ", 0) == 0 ? 1 : 0;
  }
  CHECK(login_lines == 6);
  CHECK(lines.back().rfind("login 6/6 ", 0) == 0);

  // The same plan without a probe: one process per session, as before batching.
  FakeRunner single;
  r = Execute(plan, store, single, {}, nullptr);
  CHECK(single.Calls().size() == 6);
}

TEST_CASE("executor: batched logouts by iface; a session left behind fails alone") {
  testing::TempDir dir;
  RecordStore store(dir.path().string());
  const std::string nic = "ictl-5254000b0001";
  Plan plan;
  std::vector<ObservedSession> live;
  for (int sid = 1; sid <= 3; ++sid) {
    NodeKey k{"iqn.2003-01.org.x:t" + std::to_string(sid), "10.0.0.1", 3260, 1, nic};
    live.push_back({sid, k, "LOGGED_IN", {}});
    plan.actions.push_back({ActionKind::kLogout, k, sid, "", {}, {}});
  }
  for (int sid = 1; sid <= 3; ++sid) {
    plan.actions.push_back({ActionKind::kDeleteNode, live[sid - 1].key, sid, "", {}, {}});
    REQUIRE_FALSE(store.WriteNode({live[sid - 1].key, {}}));
  }
  FakeRunner runner;
  runner.answers[nic] = Exited(2, "iscsiadm: Could not logout of all requested sessions\n");
  bool logged_out = false;
  SessionProbe probe = [&] {
    if (!logged_out) {
      logged_out = true;
      return live;
    }
    return std::vector<ObservedSession>{live[1]};  // session 2 stayed
  };
  ExecResult r = Execute(plan, store, runner, {}, nullptr, probe);
  CHECK(runner.Calls() == std::vector<std::vector<std::string>>{
                              {"iscsiadm", "-m", "node", "-I", nic, "--logout"}});
  CHECK(r.Failed() == 1);
  CHECK(r.outcomes[0].ok);
  CHECK_FALSE(r.outcomes[1].ok);
  CHECK(r.outcomes[1].detail == "exit 2: session still there after the batch logout");
  CHECK(r.outcomes[2].ok);
  CHECK(r.outcomes[4].skipped);  // session 2's record stays
  CHECK(store.Read().nodes.size() == 1);
}

TEST_CASE("executor: a batch runs as long as iscsid makes progress, and stops when it stalls") {
  testing::TempDir dir;
  RecordStore store(dir.path().string());
  const std::string nic = "ictl-5254000b0001";
  Plan plan;
  std::vector<NodeKey> keys;
  for (int t = 0; t < 4; ++t) {
    keys.push_back({"iqn.2003-01.org.x:t" + std::to_string(t), "10.0.0.1", 3260, 1, nic});
    plan.actions.push_back({ActionKind::kWriteNode, keys.back(), -1, "", {}, {}});
  }
  for (const NodeKey& k : keys) {
    plan.actions.push_back({ActionKind::kLogin, k, -1, "", {}, {}});
  }
  // The kernel shows `shown` of the batch's sessions: t0 LOGGED_IN, then t1 (FAILED, which
  // is not done), then t1 LOGGED_IN, ...
  std::vector<ObservedSession> live;
  SessionProbe probe = [&] { return live; };
  // A runner that plays iscsid: between two looks of the batch's progress test, the kernel
  // changes as `steps` says; it records each answer.
  struct StepRunner : CommandRunner {
    std::vector<std::function<void()>> steps;
    std::vector<bool> answers;
    ProcessSpec seen;
    std::vector<std::vector<std::string>> calls;
    std::mutex mu;  // the executor's workers call at once
    ProcessResult Run(const ProcessSpec& spec) override {
      std::lock_guard<std::mutex> lock(mu);
      seen = spec;
      calls.push_back(spec.argv);
      if (spec.progressed) {
        for (auto& step : steps) {
          step();
          answers.push_back(spec.progressed());
        }
      }
      return Exited(0);
    }
  } runner;
  runner.steps = {
      [&] { live.push_back({1, keys[0], "LOGGED_IN", {}}); },
      [&] {},                                                  // nothing new
      [&] { live.push_back({2, keys[1], "FAILED", {}}); },     // a session, not logged in
      [&] { live.back().state = "LOGGED_IN"; },
      [&] { live.push_back({3, keys[2], "LOGGED_IN", {}}); },
      [&] { live.push_back({4, {"iqn.2003-01.org.x:other", "10.0.0.1", 3260, 1, nic},
                            "LOGGED_IN", {}}); },              // not a member
  };
  ExecOptions options;
  options.progress_every = std::chrono::milliseconds(500);
  ExecResult r = Execute(plan, store, runner, options, nullptr, probe);
  // One iscsiadm for the NIC's four logins, watched while it runs.
  CHECK(runner.calls == std::vector<std::vector<std::string>>{
                            {"iscsiadm", "-m", "node", "-I", nic, "--login"}});
  REQUIRE(runner.seen.progressed);
  CHECK(runner.seen.check_every == std::chrono::milliseconds(500));
  CHECK(runner.answers == std::vector<bool>{true, false, false, true, true, false});
  CHECK(r.Failed() == 0);

  // A logout batch: progress is a member's session gone.
  Plan out;
  for (int sid = 1; sid <= 3; ++sid) {
    out.actions.push_back({ActionKind::kLogout, keys[static_cast<size_t>(sid - 1)], sid, "", {}, {}});
  }
  live = {{1, keys[0], "LOGGED_IN", {}}, {2, keys[1], "LOGGED_IN", {}},
          {3, keys[2], "LOGGED_IN", {}}};
  runner.answers.clear();
  runner.calls.clear();
  runner.steps = {
      [&] {},
      [&] { live.erase(live.begin()); },
      [&] { live.back().state = "FAILED"; },  // still there
      [&] { live.clear(); },
  };
  r = Execute(out, store, runner, options, nullptr, probe);
  CHECK(runner.calls == std::vector<std::vector<std::string>>{
                            {"iscsiadm", "-m", "node", "-I", nic, "--logout"}});
  REQUIRE(runner.seen.progressed);
  CHECK(runner.answers == std::vector<bool>{false, true, false, true});

  // Without a probe a session gets a process of its own, with a plain time limit.
  runner.answers.clear();
  r = Execute(plan, store, runner, options, nullptr);
  CHECK_FALSE(runner.seen.progressed);
  CHECK(runner.answers.empty());
}

}  // namespace iscsictl
