#include "plan/plan.h"

#include <doctest/doctest.h>

#include <algorithm>

namespace iscsictl {
namespace {

constexpr const char* kT = "iqn.2003-01.org.example:t1";
constexpr const char* kMacA = "52:54:00:0b:00:01";
constexpr const char* kMacB = "52:54:00:0b:00:02";
constexpr const char* kMacC = "52:54:00:0b:00:03";

DesiredBinding Want(const std::string& mac, const std::string& nic = "ens4", int port = 3260,
                    const std::string& target = kT) {
  DesiredBinding b;
  b.pointer = "/targets/0/sessions/0";
  b.key = {target, "10.33.0.10", port, 1, OwnedIfaceName(mac)};
  b.nic = nic;
  b.mac = mac;
  b.iface_fields = IfaceFields(b.key.iface, mac);
  b.node_fields = {{"node.name", target},
                   {"iface.hwaddress", mac},
                   {"node.session.iscsi.FirstBurstLength", "65536"}};
  return b;
}

ObservedSession Session(int sid, const std::string& iface, const std::string& state = "LOGGED_IN",
                        int port = 3260, const std::string& target = kT,
                        std::vector<std::string> blocks = {}) {
  return {sid, {target, "10.33.0.10", port, 1, iface}, state, std::move(blocks)};
}

// The observed records that match a binding exactly (a converged database).
void HaveRecords(Observed& o, const DesiredBinding& b) {
  o.records.ifaces[b.key.iface] = {b.key.iface, b.iface_fields};
  o.records.nodes[b.key] = {b.key, b.node_fields};
}

std::vector<std::string> Kinds(const Plan& p) {
  std::vector<std::string> out;
  for (const Action& a : p.actions) {
    out.push_back(std::string(ActionName(a.kind)));
  }
  return out;
}

std::vector<std::string> NoteKinds(const Plan& p) {
  std::vector<std::string> out;
  for (const Note& n : p.notes) {
    out.push_back(std::string(NoteName(n.kind)));
  }
  return out;
}

using V = std::vector<std::string>;

std::string Join(const V& v) {
  std::string out;
  for (const std::string& s : v) {
    out += (out.empty() ? "" : " ") + s;
  }
  return out;
}

}  // namespace

TEST_CASE("plan: nothing there -> records, then login, for each wanted session") {
  Observed o;
  Plan p = MakePlan({Want(kMacA, "ens4"), Want(kMacB, "ens5")}, o, {});
  CHECK(Kinds(p) == V{"write-iface", "write-node", "write-iface", "write-node", "login", "login"});
  CHECK(p.actions[0].reason == "new iface for ens4 (52:54:00:0b:00:01)");
  CHECK(p.actions[4].key.iface == "ictl-5254000b0001");
  CHECK_FALSE(p.Blocked());
}

TEST_CASE("plan: converged -> empty plan (no action, so no iscsiadm call)") {
  DesiredBinding a = Want(kMacA), b = Want(kMacB);
  Observed o;
  HaveRecords(o, a);
  HaveRecords(o, b);
  o.sessions = {Session(1, a.key.iface), Session(2, b.key.iface)};
  Plan p = MakePlan({a, b}, o, {});
  CHECK(p.Empty());
  CHECK(p.notes.empty());
}

TEST_CASE("plan: the rules, table-driven") {
  DesiredBinding a = Want(kMacA), b = Want(kMacB);
  struct Case {
    const char* name;
    std::vector<DesiredBinding> want;
    std::vector<ObservedSession> sessions;
    bool records;  // records of every wanted binding present and equal
    PlanOptions options;
    V kinds;
    V notes;
  };
  DesiredBinding renamed = a;
  renamed.nic = "enp0s9";  // same MAC, new name
  DesiredBinding no_address = a;
  no_address.nic_ready = false;
  DesiredBinding changed = a;
  changed.node_fields["node.session.iscsi.FirstBurstLength"] = "32768";
  PlanOptions only_a;
  only_a.scope.iface = a.key.iface;
  only_a.allow_logout = false;
  const Case cases[] = {
      {"in recovery: no second session",
       {a},
       {Session(1, a.key.iface, "FAILED")},
       true,
       {},
       {},
       {"recovery"}},
      {"foreign sessions are left alone",
       {a},
       {Session(1, a.key.iface), Session(2, "default"), Session(3, "if-ve0", "LOGGED_IN", 3261)},
       true,
       {},
       {},
       {"foreign"}},
      {"unwanted own session: logout, then its records",
       {a},
       {Session(1, a.key.iface), Session(2, b.key.iface)},
       true,
       {},
       {"logout", "delete-node", "delete-iface"},
       {}},
      {"unwanted own session in recovery is logged out too",
       {a},
       {Session(1, a.key.iface), Session(2, b.key.iface, "FAILED")},
       true,
       {},
       {"logout", "delete-node", "delete-iface"},
       {}},
      {"rename changes nothing", {renamed}, {Session(1, a.key.iface)}, true, {}, {}, {}},
      {"NIC replaced (new MAC): login first, then logout",
       {Want(kMacC)},
       {Session(1, a.key.iface)},
       false,
       {},
       {"write-iface", "write-node", "login", "logout", "delete-node", "delete-iface"},
       {}},
      {"duplicate sessions: the extra one goes",
       {a},
       {Session(1, a.key.iface, "FAILED"), Session(2, a.key.iface)},
       true,
       {},
       {"logout"},
       {}},
      {"half-done apply (records, no session): login only",
       {a, b},
       {Session(1, a.key.iface)},
       true,
       {},
       {"login"},
       {}},
      {"NIC without address: wait", {no_address}, {}, true, {}, {}, {"waiting"}},
      {"record changed while logged in: rewrite, no relogin",
       {changed},
       {Session(1, a.key.iface)},
       false,
       {},
       {"write-node"},
       {"stale"}},
      {"login scope: only that session, no logout",
       {a, b},
       {Session(7, kMacC)},
       false,
       only_a,
       {"write-iface", "write-node", "login"},
       {}},
      {"other target untouched by a target scope",
       {a},
       {Session(1, a.key.iface),
        Session(2, b.key.iface, "LOGGED_IN", 3260, "iqn.2003-01.org.example:t2")},
       true,
       PlanOptions{Scope{kT, "", {}, ""}, true, false},
       {},
       {}},
  };
  for (const Case& c : cases) {
    std::string name = c.name;
    CAPTURE(name);
    Observed o;
    if (c.records) {
      for (const DesiredBinding& w : c.want) {
        HaveRecords(o, w);
      }
    }
    for (const ObservedSession& s : c.sessions) {
      if (IsOwnedIface(s.key.iface)) {
        DesiredBinding d = Want(kMacA);
        d.key = s.key;
        std::string mac;
        for (const char* m : {kMacA, kMacB, kMacC}) {
          mac = OwnedIfaceName(m) == s.key.iface ? m : mac;
        }
        o.records.ifaces.emplace(s.key.iface,
                                 IfaceRecord{s.key.iface, IfaceFields(s.key.iface, mac)});
        o.records.nodes.emplace(d.key, NodeRecord{d.key, d.node_fields});
      }
    }
    o.sessions = c.sessions;
    Plan p = MakePlan(c.want, o, c.options);
    CHECK(Join(Kinds(p)) == Join(c.kinds));
    CHECK(Join(NoteKinds(p)) == Join(c.notes));
  }
}

TEST_CASE("plan: duplicates keep the logged-in session") {
  DesiredBinding a = Want(kMacA);
  Observed o;
  HaveRecords(o, a);
  o.sessions = {Session(4, a.key.iface, "FAILED"), Session(5, a.key.iface)};
  Plan p = MakePlan({a}, o, {});
  REQUIRE(p.actions.size() == 1);
  CHECK(p.actions[0].sid == 4);
  CHECK(p.actions[0].reason == "duplicate of session 5");
}

TEST_CASE("plan: last path of a disk in use is kept unless forced") {
  DesiredBinding a = Want(kMacA), b = Want(kMacB);
  Observed o;
  HaveRecords(o, a);
  HaveRecords(o, b);
  o.sessions = {Session(1, a.key.iface, "LOGGED_IN", 3260, kT, {"sda"}),
                Session(2, b.key.iface, "LOGGED_IN", 3260, kT, {"sdb"})};
  o.disks["sda"] = {"naa.1", false, ""};
  o.disks["sdb"] = {"naa.1", true, "sdb mounted on /mnt"};

  SUBCASE("another path to the same disk stays: logout allowed") {
    Plan p = MakePlan({a}, o, {});
    CHECK(Kinds(p) == V{"logout", "delete-node", "delete-iface"});
  }
  SUBCASE("no other path: refused, records kept, plan blocked") {
    Plan p = MakePlan({}, o, {});
    // Session 1's disk is not in use: it may go; session 2 holds the last path of naa.1.
    CHECK(Kinds(p) == V{"logout", "delete-node", "delete-iface"});
    CHECK(p.actions[0].sid == 1);
    REQUIRE(NoteKinds(p) == V{"kept"});
    CHECK(p.notes[0].text.find("sdb (sdb mounted on /mnt) has no other path") != std::string::npos);
    CHECK(p.Blocked());
  }
  SUBCASE("forced") {
    PlanOptions force;
    force.force = true;
    Plan p = MakePlan({}, o, force);
    CHECK(Kinds(p) ==
          V{"logout", "logout", "delete-node", "delete-node", "delete-iface", "delete-iface"});
    CHECK_FALSE(p.Blocked());
  }
  SUBCASE("unknown WWID counts as unique") {
    o.disks["sdb"].wwid = "";
    o.disks["sda"].wwid = "";
    Plan p = MakePlan({a}, o, {});
    CHECK(NoteKinds(p) == V{"kept"});
    CHECK(p.actions.empty());
  }
  SUBCASE("logout command: same rule, records stay") {
    Scope s;
    s.iface = b.key.iface;
    o.disks["sda"].wwid = "naa.2";
    Plan p = MakeLogoutPlan(o, s, false);
    CHECK(p.actions.empty());
    CHECK(p.Blocked());
    o.disks["sdb"].in_use = false;
    p = MakeLogoutPlan(o, s, false);
    CHECK(Kinds(p) == V{"logout"});
    CHECK(p.actions[0].sid == 2);
  }
}

TEST_CASE("plan: a disk in a multipath map: the map's other active paths decide") {
  // The issue-16 case: the NIC of session 1 is gone; its dead disk sda no longer answers
  // (no WWID), the map mpatha holds sda, sdb (session 2) and sdc (session 3).
  DesiredBinding b = Want(kMacB), c = Want(kMacC);
  Observed o;
  HaveRecords(o, Want(kMacA));
  HaveRecords(o, b);
  HaveRecords(o, c);
  std::string ia = Want(kMacA).key.iface;
  o.sessions = {Session(1, ia, "FAILED", 3260, kT, {"sda"}),
                Session(2, b.key.iface, "LOGGED_IN", 3260, kT, {"sdb"}),
                Session(3, c.key.iface, "LOGGED_IN", 3260, kT, {"sdc"})};
  o.disks["sda"] = {"", true, "held by dm-0"};
  o.disks["sdb"] = {"naa.1", true, "held by dm-0"};
  o.disks["sdc"] = {"naa.1", true, "held by dm-0"};
  MpathMap m;
  m.name = "mpatha";
  m.dm = "dm-0";
  m.dm_read = true;
  m.paths = {{"sda", "8:0", "failed", 1, 1, "", -1},
             {"sdb", "8:16", "active", 0, 1, "", -1},
             {"sdc", "8:32", "active", 0, 1, "", -1}};
  o.multipath.maps = {m};

  SUBCASE("other active paths: the dead session goes") {
    Plan p = MakePlan({b, c}, o, {});
    REQUIRE(Kinds(p) == V{"logout", "delete-node", "delete-iface"});
    CHECK(p.actions[0].sid == 1);
    CHECK(NoteKinds(p).empty());
  }
  SUBCASE("the last active path of the map stays, the map named") {
    o.multipath.maps[0].paths[2].dm_state = "failed";
    Scope s;
    s.iface = b.key.iface;
    Plan p = MakeLogoutPlan(o, s, false);
    CHECK(p.actions.empty());
    REQUIRE(NoteKinds(p) == V{"kept"});
    CHECK(p.notes[0].text.find("sdb is the last active path of multipath map mpatha (dm-0)") !=
          std::string::npos);
    CHECK(p.Blocked());
    CHECK(Kinds(MakeLogoutPlan(o, s, true)) == V{"logout"});
  }
  SUBCASE("an active path through a session that also leaves does not count") {
    Plan p = MakePlan({}, o, {});
    // All three leave: 1 and 2 are refused while the others count as gone; then 3 may
    // go, 2 staying. One active path remains either way.
    REQUIRE(NoteKinds(p) == V{"kept", "kept"});
    CHECK(p.notes[0].sid == 1);
    CHECK(p.notes[1].sid == 2);
    REQUIRE(Kinds(p) == V{"logout", "delete-node", "delete-iface"});
    CHECK(p.actions[0].sid == 3);
  }
  SUBCASE("an active dm path whose session is not LOGGED_IN does not count") {
    o.sessions[2].state = "FAILED";
    Scope s;
    s.iface = b.key.iface;
    CHECK(MakeLogoutPlan(o, s, false).Blocked());
  }
  SUBCASE("dm states unreadable: LOGGED_IN members count") {
    for (MpathPath& p : o.multipath.maps[0].paths) {
      p.dm_state = "";
    }
    o.multipath.maps[0].dm_read = false;
    Plan p = MakePlan({b, c}, o, {});
    CHECK(Kinds(p) == V{"logout", "delete-node", "delete-iface"});
  }
}

TEST_CASE("plan: leftover records of iscsictl are swept, foreign ones never") {
  Observed o;
  DesiredBinding gone = Want(kMacC);
  HaveRecords(o, gone);
  NodeKey foreign{kT, "10.33.0.10", 3260, 1, "if-ve0"};
  o.records.nodes[foreign] = {foreign, {}};
  o.records.ifaces["if-ve0"] = {"if-ve0", {}};
  Plan p = MakePlan({}, o, {});
  CHECK(Kinds(p) == V{"delete-node", "delete-iface"});
  CHECK(p.actions[0].key == gone.key);
  CHECK(p.actions[1].key.iface == gone.key.iface);
}

TEST_CASE("plan: a changed record lists the keys, never the values") {
  DesiredBinding a = Want(kMacA);
  a.node_fields["node.session.auth.password"] = "s3cret";
  Observed o;
  Plan p = MakePlan({a}, o, {});
  REQUIRE(p.actions.size() == 3);
  CHECK(std::find(p.actions[1].changed.begin(), p.actions[1].changed.end(),
                  "node.session.auth.password") != p.actions[1].changed.end());
  CHECK(p.actions[1].reason.find("s3cret") == std::string::npos);
}

TEST_CASE("plan: a NIC that is not there is a note, not converged; its old sessions still go") {
  DesiredBinding here = Want(kMacA), gone = Want(kMacC, "");
  gone.absent = "no NIC with MAC 52:54:00:0b:00:03 on this host: no session";
  gone.node_fields.clear();
  Observed o;
  HaveRecords(o, here);
  o.sessions = {Session(1, here.key.iface)};
  SUBCASE("nothing of it observed: no action, an absent note, blocked") {
    Plan p = MakePlan({here, gone}, o, {});
    CHECK(p.actions.empty());
    REQUIRE(NoteKinds(p) == V{"absent"});
    CHECK(p.notes[0].key.iface == "ictl-5254000b0003");
    CHECK(p.notes[0].text == gone.absent);
    CHECK(p.Blocked());
  }
  SUBCASE("a session of it still there (NIC just gone): logged out as before") {
    HaveRecords(o, Want(kMacC));
    o.sessions.push_back(Session(2, gone.key.iface));
    Plan p = MakePlan({here, gone}, o, {});
    CHECK(Kinds(p) == V{"logout", "delete-node", "delete-iface"});
    CHECK(p.actions[0].sid == 2);
    CHECK(NoteKinds(p) == V{"absent"});
  }
  SUBCASE("a scope elsewhere: no note") {
    PlanOptions other;
    other.scope.iface = here.key.iface;
    CHECK(MakePlan({here, gone}, o, other).notes.empty());
  }
}

TEST_CASE("plan: one NIC chosen twice for a target portal: a note, those sessions left alone") {
  DesiredBinding first = Want(kMacA), second = Want(kMacA), other = Want(kMacB, "ens5");
  second.pointer = "/targets/0/sessions/1";
  second.node_fields["node.session.iscsi.FirstBurstLength"] = "262144";
  first.conflict = second.conflict = "NIC ens4 (52:54:00:0b:00:01) is chosen ... twice";
  Observed o;
  HaveRecords(o, Want(kMacA));
  o.sessions = {Session(1, first.key.iface)};
  Plan p = MakePlan({first, second, other}, o, {});
  // The other session is made; the conflicting ones: no write, no login, no logout.
  CHECK(Kinds(p) == V{"write-iface", "write-node", "login"});
  CHECK(p.actions[2].key.iface == other.key.iface);
  REQUIRE(NoteKinds(p) == V{"conflict"});
  CHECK(p.notes[0].key.iface == first.key.iface);
  CHECK(p.Blocked());
  SUBCASE("nothing of them exists yet: nothing is made") {
    o = Observed{};
    Plan q = MakePlan({first, second}, o, {});
    CHECK(q.actions.empty());
    CHECK(NoteKinds(q) == V{"conflict"});
  }
}

TEST_CASE("plan: a NIC waiting for its address or carrier is not converged") {
  DesiredBinding b = Want(kMacA);
  b.nic_ready = false;
  b.not_ready = "has no carrier";
  Observed o;
  HaveRecords(o, b);
  Plan p = MakePlan({b}, o, {});
  CHECK(p.actions.empty());
  CHECK(NoteKinds(p) == V{"waiting"});
  CHECK(p.Blocked());
}

}  // namespace iscsictl
