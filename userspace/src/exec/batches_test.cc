#include "exec/batches.h"

#include <doctest/doctest.h>

namespace iscsictl {
namespace {

const std::string kA = "iqn.2003-01.org.x:a";
const std::string kB = "iqn.2003-01.org.x:b";
const std::string kNic1 = "ictl-525400000001";
const std::string kNic2 = "ictl-525400000002";

NodeKey Key(const std::string& target, const std::string& address, const std::string& iface) {
  return {target, address, 3260, 1, iface};
}

// Logins of `keys`, in that order; returns their indices.
std::vector<size_t> AddLogins(Plan& plan, const std::vector<NodeKey>& keys) {
  std::vector<size_t> out;
  for (const NodeKey& k : keys) {
    out.push_back(plan.actions.size());
    plan.actions.push_back({ActionKind::kLogin, k, -1, "", {}, {}});
  }
  return out;
}

std::vector<std::vector<std::string>> Argvs(const std::vector<Batch>& batches, bool login) {
  std::vector<std::vector<std::string>> out;
  for (const Batch& b : batches) {
    out.push_back(login ? LoginBatchArgv("iscsiadm", b) : LogoutBatchArgv("iscsiadm", b));
  }
  return out;
}

// Two targets, two portals each, on two NICs: 8 records.
std::vector<NodeKey> EightRecords() {
  std::vector<NodeKey> keys;
  for (const std::string& nic : {kNic1, kNic2}) {
    for (const std::string& t : {kA, kB}) {
      for (const char* addr : {"10.0.0.1", "10.0.0.2"}) {
        keys.push_back(Key(t, addr, nic));
      }
    }
  }
  return keys;
}

}  // namespace

TEST_CASE("batches: every record of an iface planned -> one iscsiadm -I per iface") {
  Plan plan;
  std::vector<NodeKey> keys = EightRecords();
  std::vector<size_t> logins = AddLogins(plan, keys);
  std::set<NodeKey> on_disk(keys.begin(), keys.end());
  on_disk.insert(Key(kA, "10.0.0.1", "default"));  // a foreign record: another iface
  std::vector<Batch> b = LoginBatches(plan, logins, on_disk, BatchShape::kIface);
  REQUIRE(b.size() == 2);
  CHECK(b[0].members == std::vector<size_t>{0, 1, 2, 3});
  CHECK(b[1].members == std::vector<size_t>{4, 5, 6, 7});
  CHECK(Argvs(b, true) == std::vector<std::vector<std::string>>{
                              {"iscsiadm", "-m", "node", "-I", kNic1, "--login"},
                              {"iscsiadm", "-m", "node", "-I", kNic2, "--login"}});
}

TEST_CASE("batches: a record of the iface not planned -> by target, never wider") {
  Plan plan;
  std::vector<NodeKey> keys = EightRecords();
  std::set<NodeKey> on_disk(keys.begin(), keys.end());
  // NIC1's target A portal .2 is on disk but not planned (say, already logged in).
  std::vector<NodeKey> planned;
  for (const NodeKey& k : keys) {
    if (!(k.iface == kNic1 && k.target == kA && k.address == "10.0.0.2")) {
      planned.push_back(k);
    }
  }
  std::vector<size_t> logins = AddLogins(plan, planned);
  std::vector<Batch> b = LoginBatches(plan, logins, on_disk, BatchShape::kIface);
  CHECK(Argvs(b, true) ==
        std::vector<std::vector<std::string>>{
            {"iscsiadm", "-m", "node", "-T", kA, "-p", "10.0.0.1:3260,1", "-I", kNic1, "--login"},
            {"iscsiadm", "-m", "node", "-T", kB, "-I", kNic1, "--login"},
            {"iscsiadm", "-m", "node", "-I", kNic2, "--login"}});
  // Every planned login in exactly one batch; the unplanned record in none.
  std::multiset<size_t> members;
  for (const Batch& x : b) {
    members.insert(x.members.begin(), x.members.end());
  }
  CHECK(members == std::multiset<size_t>(logins.begin(), logins.end()));
}

TEST_CASE("batches: a scoped login (one session) stays one record") {
  Plan plan;
  std::vector<NodeKey> keys = EightRecords();
  std::set<NodeKey> on_disk(keys.begin(), keys.end());
  std::vector<size_t> logins = AddLogins(plan, {Key(kA, "10.0.0.1", kNic1)});
  for (BatchShape shape : {BatchShape::kIface, BatchShape::kTarget, BatchShape::kSingle}) {
    CHECK(Argvs(LoginBatches(plan, logins, on_disk, shape), true) ==
          std::vector<std::vector<std::string>>{{"iscsiadm", "-m", "node", "-T", kA, "-p",
                                                 "10.0.0.1:3260,1", "-I", kNic1, "--login"}});
  }
  // Even when it is the only record of its iface (a one-member batch is the record itself).
  CHECK(Argvs(LoginBatches(plan, logins, {Key(kA, "10.0.0.1", kNic1)}, BatchShape::kIface),
              true)[0]
            .size() == 10);
}

TEST_CASE("batches: shapes target and single, foreign ifaces and missing records") {
  Plan plan;
  std::vector<NodeKey> keys = EightRecords();
  std::vector<size_t> logins = AddLogins(plan, keys);
  std::set<NodeKey> on_disk(keys.begin(), keys.end());
  CHECK(LoginBatches(plan, logins, on_disk, BatchShape::kTarget).size() == 4);
  CHECK(LoginBatches(plan, logins, on_disk, BatchShape::kSingle).size() == 8);
  // A planned record not on disk: its iface and target go one by one.
  on_disk.erase(Key(kB, "10.0.0.2", kNic2));
  std::vector<Batch> b = LoginBatches(plan, logins, on_disk, BatchShape::kIface);
  CHECK(b.size() == 1 + 1 + 2);  // NIC1 whole, NIC2 target A, NIC2 target B one by one
  // Never a wide filter on an iface that is not iscsictl's.
  Plan foreign;
  std::vector<NodeKey> fk{Key(kA, "10.0.0.1", "default"), Key(kA, "10.0.0.2", "default")};
  std::vector<size_t> fl = AddLogins(foreign, fk);
  CHECK(LoginBatches(foreign, fl, {fk.begin(), fk.end()}, BatchShape::kIface).size() == 2);
}

TEST_CASE("batches: logouts by iface or target only when every live session matched leaves") {
  Plan plan;
  std::vector<ObservedSession> live;
  int sid = 1;
  for (const NodeKey& k : EightRecords()) {
    live.push_back({sid++, k, "LOGGED_IN", {}});
  }
  live.push_back({sid++, Key(kA, "10.0.0.1", "default"), "LOGGED_IN", {}});  // foreign
  std::vector<size_t> logouts;
  // All of NIC2 (sids 5..8), and NIC1's target B (sids 3, 4) but not its target A.
  for (const ObservedSession& s : live) {
    if (s.key.iface == kNic2 || (s.key.iface == kNic1 && s.key.target == kB)) {
      logouts.push_back(plan.actions.size());
      plan.actions.push_back({ActionKind::kLogout, s.key, s.sid, "", {}, {}});
    }
  }
  std::vector<Batch> b = LogoutBatches(plan, logouts, live, BatchShape::kIface);
  CHECK(Argvs(b, false) == std::vector<std::vector<std::string>>{
                               {"iscsiadm", "-m", "node", "-T", kB, "-I", kNic1, "--logout"},
                               {"iscsiadm", "-m", "node", "-I", kNic2, "--logout"}});
  // A second session of NIC2's target A appears (a duplicate nobody planned to log out):
  // NIC2 is no longer exact, its target A goes session by session.
  live.push_back({sid++, Key(kA, "10.0.0.1", kNic2), "FAILED", {}});
  b = LogoutBatches(plan, logouts, live, BatchShape::kIface);
  CHECK(Argvs(b, false) ==
        std::vector<std::vector<std::string>>{
            {"iscsiadm", "-m", "node", "-T", kB, "-I", kNic1, "--logout"},
            {"iscsiadm", "-m", "session", "-r", "5", "--logout"},
            {"iscsiadm", "-m", "session", "-r", "6", "--logout"},
            {"iscsiadm", "-m", "node", "-T", kB, "-I", kNic2, "--logout"}});
  // A planned session already gone: no filter over its group.
  live.erase(live.begin() + 7);  // sid 8 (NIC2, target B)
  b = LogoutBatches(plan, logouts, live, BatchShape::kIface);
  CHECK(b.back().sid == 8);
}

}  // namespace iscsictl
