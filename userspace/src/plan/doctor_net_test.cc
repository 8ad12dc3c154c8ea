#include "plan/doctor_net.h"

#include <doctest/doctest.h>

#include "config/config_load.h"

using namespace iscsictl;

namespace {

const char* const kIqn = "iqn.2026-11.lab.target:doctor";

NicInfo Nic(const std::string& name, const std::string& mac, const std::string& address,
            int mtu = 1500) {
  NicInfo n;
  n.name = name;
  n.mac = mac;
  n.carrier = true;
  n.operstate = "up";
  n.mtu = mtu;
  n.addresses = {address};
  return n;
}

// ve0 and ve1 on 10.33.0.0/24, enp2s0 elsewhere.
std::vector<NicInfo> Nics() {
  return {Nic("ve0", "02:00:00:00:01:00", "10.33.0.101/24"),
          Nic("ve1", "02:00:00:00:01:01", "10.33.0.102/24"),
          Nic("enp2s0", "52:54:00:0c:00:07", "192.0.2.7/24")};
}

// One target at 10.33.0.10, a rule session over ve* (both NICs), a default-route target.
std::vector<DesiredSession> Sessions() {
  LoadedConfig cfg = ParseConfigText(
      std::string(R"({"targets": [{"name": ")") + kIqn + R"(",
      "portal": {"address": "10.33.0.10"},
      "sessions": [{"iface": {"match": {"subnet": "10.33.0.0/24", "name": "ve*"}}}]},
      {"name": "iqn.2026-11.lab.target:plain", "portal": {"address": "10.33.0.11"}}]})",
      "c.json");
  REQUIRE(cfg.ok());
  return cfg.sessions;
}

Ipv4Conf Conf(int ignore, int announce, int rp) { return {ignore, announce, rp}; }

std::map<std::string, Ipv4Conf> Defaults() {
  return {{"all", Conf(0, 0, 0)}, {"ve0", Conf(0, 0, 0)}, {"ve1", Conf(0, 0, 0)}};
}

}  // namespace

TEST_CASE("doctor scope: the NICs the config selects and the portals they must reach") {
  DoctorScope scope = MakeDoctorScope(Sessions(), Nics());
  CHECK(scope.nics == std::vector<std::string>{"ve0", "ve1"});
  REQUIRE(scope.targets.size() == 2);
  CHECK(scope.targets[0].name == kIqn);
  CHECK(scope.targets[0].nics == std::vector<std::string>{"ve0", "ve1"});
  CHECK(scope.targets[0].sessions == 2);
  CHECK(scope.targets[0].replacement_timeouts == std::vector<int64_t>{120});
  CHECK(scope.targets[1].nics.empty());
  CHECK(scope.unbound == 1);
  CHECK(scope.absent == 0);
  REQUIRE(scope.probes.size() == 2);
  CHECK(scope.probes[0].nic == "ve0");
  CHECK(scope.probes[0].source == "10.33.0.101");
  CHECK(scope.probes[0].address == "10.33.0.10");
  CHECK(scope.probes[0].port == 3260);
  CHECK(scope.probes[1].source == "10.33.0.102");
}

TEST_CASE("doctor scope: a NIC's source address is the one on the portal's subnet") {
  std::vector<NicInfo> nics = Nics();
  nics[0].addresses = {"fe80::1/64", "192.0.2.9/24", "10.33.0.101/24"};
  DoctorScope scope = MakeDoctorScope(Sessions(), nics);
  REQUIRE(scope.probes.size() == 2);
  CHECK(scope.probes[0].source == "10.33.0.101");
}

TEST_CASE("Ipv4Network") {
  CHECK(Ipv4Network("10.33.0.101/24") == "10.33.0.0/24");
  CHECK(Ipv4Network("10.33.7.1/16") == "10.33.0.0/16");
  CHECK(Ipv4Network("10.33.0.101/32") == "10.33.0.101/32");
  CHECK(Ipv4Network("10.33.0.101/0") == "0.0.0.0/0");
  CHECK(Ipv4Network("10.33.0.101") == "");
  CHECK(Ipv4Network("fd00::1/64") == "");
  CHECK(Ipv4Network("10.33.0.101/33") == "");
}

TEST_CASE("ARP flux: two NICs in one subnet with the kernel's defaults") {
  std::vector<DoctorFinding> f = CheckArpFlux({"ve0", "ve1"}, Nics(), Defaults());
  REQUIRE(f.size() == 2);
  CHECK(f[0].check == "arp");
  CHECK(f[0].what.starts_with("ve0 shares 10.33.0.0/24 with ve1: arp_ignore 0 (want 1 or 2), "
                              "arp_announce 0 (want 2)"));
  REQUIRE(f[0].fix.size() == 4);
  CHECK(f[0].fix[0] ==
        "sysctl -w net.ipv4.conf.ve0.arp_ignore=1 net.ipv4.conf.ve0.arp_announce=2");
  CHECK(f[0].fix[1] == "and in /etc/sysctl.d/90-iscsictl-arp.conf (kept across boots):");
  CHECK(f[0].fix[2] == "  net.ipv4.conf.ve0.arp_ignore = 1");
  CHECK(f[0].fix[3] == "  net.ipv4.conf.ve0.arp_announce = 2");
  CHECK(f[1].what.starts_with("ve1 shares 10.33.0.0/24 with ve0"));
}

TEST_CASE("ARP flux: rp_filter strict is a finding, loose and off are not") {
  std::map<std::string, Ipv4Conf> conf = {
      {"all", Conf(0, 0, 0)}, {"ve0", Conf(1, 2, 1)}, {"ve1", Conf(2, 2, 2)}};
  std::vector<DoctorFinding> f = CheckArpFlux({"ve0", "ve1"}, Nics(), conf);
  REQUIRE(f.size() == 1);
  CHECK(f[0].what.find("ve0 shares") == 0);
  CHECK(f[0].what.find("rp_filter 1 (want 0 or 2)") != std::string::npos);
  CHECK(f[0].fix[0] == "sysctl -w net.ipv4.conf.ve0.rp_filter=2");
  // all's strict rp_filter makes every NIC strict (max): the NIC's own 0 does not help, 2 does
  conf = {{"all", Conf(1, 2, 1)}, {"ve0", Conf(1, 2, 0)}, {"ve1", Conf(1, 2, 2)}};
  f = CheckArpFlux({"ve0", "ve1"}, Nics(), conf);
  REQUIRE(f.size() == 1);
  CHECK(f[0].what.find("rp_filter 1") != std::string::npos);
  CHECK(f[0].fix[0] == "sysctl -w net.ipv4.conf.ve0.rp_filter=2");
}

TEST_CASE("ARP flux: all's value counts (max of all and the NIC)") {
  // all set well: the NICs' own 0 does not matter
  std::map<std::string, Ipv4Conf> conf = {
      {"all", Conf(1, 2, 0)}, {"ve0", Conf(0, 0, 0)}, {"ve1", Conf(0, 0, 0)}};
  CHECK(CheckArpFlux({"ve0", "ve1"}, Nics(), conf).empty());
  // all.arp_ignore 8 (never answer): only all's fix undoes it
  conf["all"] = Conf(8, 2, 0);
  conf["ve0"] = Conf(1, 2, 0);
  conf["ve1"] = Conf(1, 2, 0);
  std::vector<DoctorFinding> f = CheckArpFlux({"ve0", "ve1"}, Nics(), conf);
  REQUIRE(f.size() == 2);
  CHECK(f[0].fix[0] == "sysctl -w net.ipv4.conf.all.arp_ignore=1");
}

TEST_CASE("ARP flux: no finding without two selected NICs in one subnet") {
  // one NIC of the subnet selected
  CHECK(CheckArpFlux({"ve0"}, Nics(), Defaults()).empty());
  // two selected NICs in different subnets
  CHECK(CheckArpFlux({"ve0", "enp2s0"}, Nics(), Defaults()).empty());
  // the same subnet but not selected
  CHECK(CheckArpFlux({}, Nics(), Defaults()).empty());
  // IPv6 only: ARP does not apply
  std::vector<NicInfo> v6 = {Nic("ve0", "02:00:00:00:01:00", "fd00::1/64"),
                             Nic("ve1", "02:00:00:00:01:01", "fd00::2/64")};
  CHECK(CheckArpFlux({"ve0", "ve1"}, v6, Defaults()).empty());
  // set as recommended
  std::map<std::string, Ipv4Conf> good = {
      {"all", Conf(0, 0, 0)}, {"ve0", Conf(1, 2, 0)}, {"ve1", Conf(2, 2, 2)}};
  CHECK(CheckArpFlux({"ve0", "ve1"}, Nics(), good).empty());
}

TEST_CASE("MTU: a target's NICs disagree") {
  std::vector<NicInfo> nics = Nics();
  DoctorScope scope = MakeDoctorScope(Sessions(), nics);
  CHECK(CheckMtu(scope, nics).empty());
  nics[1].mtu = 1400;
  std::vector<DoctorFinding> f = CheckMtu(scope, nics);
  REQUIRE(f.size() == 1);
  CHECK(f[0].check == "mtu");
  CHECK(f[0].what == std::string("the NICs of ") + kIqn + " disagree on the MTU: ve0 1500, ve1 1400");
  REQUIRE(f[0].fix.size() == 2);
  // a tie: the larger
  CHECK(f[0].fix[0] == "ip link set dev ve1 mtu 1500");
  CHECK(f[0].fix[1].find("MTUBytes=1500") != std::string::npos);
  // most NICs win
  nics.push_back(Nic("ve2", "02:00:00:00:01:02", "10.33.0.103/24", 1400));
  scope = MakeDoctorScope(Sessions(), nics);
  f = CheckMtu(scope, nics);
  REQUIRE(f.size() == 1);
  CHECK(f[0].fix[0] == "ip link set dev ve0 mtu 1400");
  // an unknown MTU (0) is no disagreement
  nics[1].mtu = 0;
  nics[2].mtu = 0;
  nics.pop_back();
  scope = MakeDoctorScope(Sessions(), nics);
  CHECK(CheckMtu(scope, nics).empty());
}

TEST_CASE("reachability: each failed probe names its NIC and portal") {
  std::vector<PortalProbe> probes(3);
  probes[0] = {"ve0", "10.33.0.101", "10.33.0.10", 3260, true, ""};
  probes[1] = {"ve1", "10.33.0.102", "10.33.0.10", 3260, false, "no answer within 3 s"};
  probes[2] = {"ve2", "", "fd00::10", 3260, false, ""};
  std::vector<DoctorFinding> f = CheckReach(probes);
  REQUIRE(f.size() == 2);
  CHECK(f[0].check == "reach");
  CHECK(f[0].what == "ve1 (10.33.0.102) cannot reach portal 10.33.0.10:3260: no answer within 3 s");
  CHECK(f[0].fix[0].starts_with("ip link show dev ve1; ping -I ve1 10.33.0.10"));
  CHECK(f[1].what == "ve2 cannot reach portal [fd00::10]:3260: it has no IPv6 address");
  probes[1].ok = true;
  probes.pop_back();
  CHECK(CheckReach(probes).empty());
}
