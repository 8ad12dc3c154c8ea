#include "exec/executor.h"

#include <doctest/doctest.h>

#include <atomic>
#include <mutex>
#include <thread>

#include "testing/test_util.h"

namespace iscsictl {
namespace {

// Answers iscsiadm calls from a table; records every argv; tracks concurrency.
class FakeRunner : public CommandRunner {
 public:
  std::map<std::string, ProcessResult> answers;  // by portal or sid argument
  std::vector<std::vector<std::string>> calls;
  int max_parallel = 0;

  ProcessResult Run(const ProcessSpec& spec) override {
    int now = ++running_;
    {
      std::lock_guard<std::mutex> lock(mu_);
      calls.push_back(spec.argv);
      max_parallel = std::max(max_parallel, now);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(30));
    --running_;
    ProcessResult ok;
    ok.started = true;
    ok.exit_code = 0;
    for (const std::string& a : spec.argv) {
      if (auto it = answers.find(a); it != answers.end()) {
        return it->second;
      }
    }
    return ok;
  }

 private:
  std::atomic<int> running_{0};
  std::mutex mu_;
};

ProcessResult Exit(int code, const std::string& err) {
  ProcessResult r;
  r.started = true;
  r.exit_code = code;
  r.err = err;
  return r;
}

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
  FakeRunner runner;
  runner.answers["10.0.0.2:3260,1"] = Exit(8, "iscsiadm: connection login retries reached\n");
  runner.answers["10.0.0.3:3260,1"] = Exit(15, "iscsiadm: session exists\n");
  ExecOptions options;
  options.jobs = 3;
  std::vector<std::string> lines;
  std::mutex mu;
  ExecResult r = Execute(plan, store, runner, options, [&](const std::string& l) {
    std::lock_guard<std::mutex> lock(mu);
    lines.push_back(l);
  });
  CHECK(runner.calls.size() == 6);
  CHECK(runner.max_parallel == 3);
  CHECK(r.Failed() == 1);
  CHECK_FALSE(r.outcomes[2].ok);
  CHECK(r.outcomes[2].detail == "exit 8: iscsiadm: connection login retries reached");
  CHECK(r.outcomes[3].ok);
  CHECK(r.outcomes[3].detail == "already logged in");
  CHECK(lines.size() == 6);
  CHECK(lines.back().rfind("login 6/6 ", 0) == 0);
  CHECK(runner.calls[0] == std::vector<std::string>{"iscsiadm", "-m", "node", "-T",
                                                    "iqn.2003-01.org.x:t", "-p", "10.0.0.0:3260,1",
                                                    "-I", "ictl-default", "--login"});
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
  FakeRunner runner;
  ExecResult r = Execute(plan, store, runner, {}, nullptr);
  CHECK(r.Failed() == 0);
  REQUIRE(runner.calls.size() == 1);
  for (const std::string& a : runner.calls[0]) {
    CHECK(a.find("s3cret") == std::string::npos);
  }
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
  runner.answers["7"] = Exit(4, "iscsiadm: could not logout\n");
  ExecResult r = Execute(plan, store, runner, {}, nullptr);
  CHECK(r.Failed() == 1);
  CHECK(r.outcomes[1].skipped);
  CHECK(r.outcomes[2].skipped);
  RecordDb db = store.Read();
  CHECK(db.nodes.size() == 1);
  CHECK(db.ifaces.size() == 1);
  // Logout of a session that is already gone (exit 21) counts as done.
  runner.answers["7"] = Exit(21, "iscsiadm: No matching sessions found\n");
  r = Execute(plan, store, runner, {}, nullptr);
  CHECK(r.Failed() == 0);
  CHECK(store.Read().nodes.empty());
  CHECK(store.Read().ifaces.empty());
}

}  // namespace iscsictl
