#include "plan/status_report.h"
#include "sources/nics.h"

#include <doctest/doctest.h>

#include "config/config_load.h"
#include "sources/sysfs_reader.h"
#include "testing/test_util.h"

using namespace iscsictl;
using iscsictl::testing::SourcePath;

namespace {

constexpr auto* Fixture = &iscsictl::testing::SysfsFixture;

StatusReport FromFixture(const std::string& name,
                         const std::vector<DesiredSession>* desired = nullptr) {
  return BuildStatus(ReadSysfsLiveState(Fixture(name)), ReadNicsSysfs(Fixture(name)), desired,
                     desired != nullptr ? "test.json" : "");
}

// Every session of the report, by sid (missing ones: -1), in report order.
std::vector<const StatusSession*> Sessions(const StatusReport& r) {
  std::vector<const StatusSession*> out;
  for (const StatusTarget& t : r.targets) {
    for (const StatusPortal& p : t.portals) {
      for (const StatusSession& s : p.sessions) {
        out.push_back(&s);
      }
    }
  }
  return out;
}

const StatusSession* BySid(const StatusReport& r, int sid) {
  for (const StatusSession* s : Sessions(r)) {
    if (s->live && s->live->sid == sid) {
      return s;
    }
  }
  return nullptr;
}

}  // namespace

TEST_CASE("status: software sessions verified by the module") {
  StatusReport r = FromFixture("software");
  CHECK(r.module_loaded);
  CHECK(r.config_file.empty());
  REQUIRE(r.targets.size() == 1);
  CHECK(r.targets[0].name == "iqn.2026-11.lab.target:status");
  REQUIRE(r.targets[0].portals.size() == 2);
  CHECK(r.targets[0].portals[0].address == "10.33.0.10");
  CHECK(r.targets[0].portals[1].address == "10.33.0.11");
  CHECK(r.SessionCount() == 3);

  const StatusSession* s1 = BySid(r, 1);
  REQUIRE(s1 != nullptr);
  CHECK(s1->presence == "live");
  CHECK(s1->transport == "tcp");
  CHECK(s1->nic.netdev == "ve0");
  CHECK(s1->nic.mac == "02:00:00:00:05:00");
  CHECK(s1->nic.verified);
  CHECK(s1->nic.source == "module");
  CHECK(s1->record_id == "iqn.2026-11.lab.target:status,10.33.0.10,3260,sw,eth,02:00:00:00:05:00");
  const StatusSession* s2 = BySid(r, 2);
  REQUIRE(s2 != nullptr);
  CHECK(s2->record_id == "iqn.2026-11.lab.target:status,10.33.0.11,3260,sw,eth,02:00:00:00:05:01");
  CHECK(s2->live->disks[0].holders == std::vector<std::string>{"dm-0"});
}

TEST_CASE("status: a FAILED session falls back to iscsid's view, unverified") {
  StatusReport r = FromFixture("software");
  const StatusSession* s3 = BySid(r, 3);
  REQUIRE(s3 != nullptr);
  CHECK(s3->live->state == "FAILED");
  CHECK_FALSE(s3->nic.verified);
  CHECK(s3->nic.source == "iscsid");
  CHECK(s3->nic.netdev == "enp2s0");
  // MAC, slot and serial completed from the NIC inventory.
  CHECK(s3->nic.mac == "52:54:00:0b:00:01");
  CHECK(s3->nic.pci_slot == "0000:02:00.0");
  CHECK(s3->nic.serial == "52-54-00-ff-ff-0b-00-01");
  CHECK(s3->record_id == "iqn.2026-11.lab.target:status,10.33.0.10,3260,sw,eth,52:54:00:0b:00:01");
}

TEST_CASE("status: without the module every NIC is unverified, same record IDs") {
  StatusReport with = FromFixture("software");
  StatusReport without = FromFixture("software-nomodule");
  CHECK_FALSE(without.module_loaded);
  REQUIRE(without.SessionCount() == 3);
  for (int sid : {1, 2, 3}) {
    const StatusSession* s = BySid(without, sid);
    REQUIRE(s != nullptr);
    CHECK_FALSE(s->nic.verified);
    CHECK(s->nic.source == "iscsid");
    CHECK(s->record_id == BySid(with, sid)->record_id);
    CHECK(s->nic.netdev == BySid(with, sid)->nic.netdev);
  }
}

TEST_CASE("status: an offload HBA yields <target>,<ip>,<port>,qla4xxx,pci/<slot>,<MAC>") {
  StatusReport r = FromFixture("qla4xxx");
  REQUIRE(r.SessionCount() == 1);
  const StatusSession* s = BySid(r, 7);
  REQUIRE(s != nullptr);
  CHECK(s->transport == "qla4xxx");
  CHECK(s->nic.source == "hba");
  CHECK(s->nic.verified);
  CHECK(s->nic.netdev.empty());
  CHECK(s->nic.mac == "00:0e:1e:00:00:02");
  CHECK(s->nic.pci_slot == "0000:03:00.1");
  CHECK(s->record_id ==
        "iqn.2026-11.lab.target:hba,10.33.0.10,3260,qla4xxx,pci/0000:03:00.1,00:0e:1e:00:00:02");
}

TEST_CASE("status: the module's hba_* win over the path for an offload host") {
  LiveState st = ReadSysfsLiveState(Fixture("qla4xxx"));
  st.hosts[1].has_module_attrs = true;
  st.hosts[1].hba_hwaddress = "00:0e:1e:00:00:0f";
  st.hosts[1].hba_pci_slot = "0000:03:00.1";
  st.hosts[1].hba_serial = "00-0e-1e-ff-ff-00-00-02";
  StatusReport r = BuildStatus(st, {}, nullptr);
  const StatusSession* s = BySid(r, 7);
  REQUIRE(s != nullptr);
  CHECK(r.module_loaded);
  CHECK(s->nic.serial == "00-0e-1e-ff-ff-00-00-02");
  CHECK(s->record_id ==
        "iqn.2026-11.lab.target:hba,10.33.0.10,3260,qla4xxx,pci/0000:03:00.1,00:0e:1e:00:00:0f");
}

TEST_CASE("status: a default iface is found through the host's local address") {
  LiveState st;
  LiveHost h;
  h.host_no = 9;
  h.driver = "iscsi_tcp";
  h.netdev = "default";
  h.hwaddress = "default";
  h.ipaddress = "10.33.0.105";
  st.hosts.push_back(h);
  LiveSession s;
  s.sid = 12;
  s.host_no = 9;
  s.targetname = "iqn.2026-11.lab.target:x";
  s.state = "LOGGED_IN";
  s.ifacename = "default";
  LiveConnection c;
  c.persistent_address = "10.33.0.10";
  c.persistent_port = 3260;
  s.connections.push_back(c);
  st.sessions.push_back(s);
  NicInfo n;
  n.name = "eth3";
  n.mac = "02:00:00:00:00:33";
  n.addresses = {"10.33.0.105/24"};
  StatusReport r = BuildStatus(st, {n}, nullptr);
  const StatusSession* out = BySid(r, 12);
  REQUIRE(out != nullptr);
  CHECK(out->nic.source == "ipaddress");
  CHECK_FALSE(out->nic.verified);
  CHECK(out->nic.netdev == "eth3");
  CHECK(out->nic.mac == "02:00:00:00:00:33");
  CHECK(out->record_id == "iqn.2026-11.lab.target:x,10.33.0.10,3260,sw,eth,02:00:00:00:00:33");
  // Nothing known at all: still a session, with an empty MAC in its record ID.
  StatusReport bare = BuildStatus(st, {}, nullptr);
  CHECK(BySid(bare, 12)->nic.source == "iscsid");
  CHECK(BySid(bare, 12)->nic.mac.empty());
}

TEST_CASE("status with a config: configured, missing and not-in-config sessions") {
  LoadedConfig cfg = ParseConfigText(R"({
    "targets": [{
      "name": "iqn.2026-11.lab.target:status",
      "portal": {"address": "10.33.0.10"},
      "sessions": [
        {"iface": "ve0"},
        {"iface": "02:00:00:00:05:01", "conns": [{"address": "10.33.0.11"}]},
        {"iface": {"netdev": "ve9"}}
      ]
    }, {
      "name": "iqn.2026-11.lab.target:absent",
      "portal": {"address": "10.33.0.12", "port": 3261},
      "sessions": [{"iface": {"match": {"name": "ve*"}}}]
    }]})",
                                     "test.json");
  REQUIRE(cfg.ok());
  StatusReport r = FromFixture("software", &cfg.sessions);
  CHECK(r.config_file == "test.json");
  CHECK(BySid(r, 1)->presence == "configured");
  CHECK(BySid(r, 1)->config_pointer == "/targets/0/sessions/0");
  CHECK(BySid(r, 2)->presence == "configured");
  CHECK(BySid(r, 2)->config_pointer == "/targets/0/sessions/1");
  CHECK(BySid(r, 3)->presence == "not-in-config");
  std::vector<const StatusSession*> missing;
  for (const StatusSession* s : Sessions(r)) {
    if (s->presence == "missing") {
      missing.push_back(s);
    }
  }
  // ve9 on the first target, and the rule expands to ve0 and ve1 on the second.
  REQUIRE(missing.size() == 3);
  CHECK(missing[0]->target == "iqn.2026-11.lab.target:absent");
  CHECK(missing[0]->portal_port == 3261);
  CHECK(missing[0]->nic.netdev == "ve0");
  CHECK(missing[0]->record_id ==
        "iqn.2026-11.lab.target:absent,10.33.0.12,3261,sw,eth,02:00:00:00:05:00");
  CHECK(missing[1]->nic.netdev == "ve1");
  CHECK(missing[2]->target == "iqn.2026-11.lab.target:status");
  CHECK(missing[2]->nic.netdev == "ve9");
  CHECK(missing[2]->record_id.empty());  // no such NIC: MAC unknown
  CHECK(missing[2]->config_pointer == "/targets/0/sessions/2");
  CHECK_FALSE(missing[2]->live.has_value());
  CHECK(r.SessionCount() == 6);
}
