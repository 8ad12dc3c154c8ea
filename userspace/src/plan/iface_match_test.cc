#include "plan/iface_match.h"

#include <doctest/doctest.h>

#include "config/config_load.h"

using namespace iscsictl;

TEST_CASE("subnets") {
  CHECK(InSubnet("10.33.0.5", "10.33.0.0/24"));
  CHECK(InSubnet("10.33.0.5/24", "10.33.0.0/24"));
  CHECK_FALSE(InSubnet("10.33.1.5", "10.33.0.0/24"));
  CHECK(InSubnet("10.33.1.5", "10.0.0.0/8"));
  CHECK(InSubnet("1.2.3.4", "0.0.0.0/0"));
  CHECK(InSubnet("fd00::5", "fd00::/64"));
  CHECK(InSubnet("fe80::1%eth0", "fe80::/10"));
  CHECK_FALSE(InSubnet("fd01::5", "fd00::/64"));
  CHECK_FALSE(InSubnet("10.33.0.5", "fd00::/64"));
  CHECK_FALSE(InSubnet("garbage", "10.0.0.0/8"));
}

TEST_CASE("ifaces select NICs") {
  const std::vector<NicFacts> nics = {
      {"enp3s0f0", "00:0E:0C:C2:C1:63", "ixgbe", {"10.33.0.5/24"}},
      {"enp3s0f1", "00:0e:0c:c2:c3:bb", "ixgbe", {"10.34.0.5/24"}},
      {"eth0", "52:54:00:12:34:56", "virtio_net", {"192.168.1.2/24", "fd00::2/64"}},
  };
  struct Case {
    const char* what;
    Iface iface;
    std::vector<std::string> names;
  };
  const Case cases[] = {
      {"MAC", {Iface::Kind::kMac, "00:0e:0c:c2:c1:63", "", "", ""}, {"enp3s0f0"}},
      {"netdev", {Iface::Kind::kNetdev, "eth0", "", "", ""}, {"eth0"}},
      {"glob", {Iface::Kind::kRule, "", "", "enp*", ""}, {"enp3s0f0", "enp3s0f1"}},
      {"driver", {Iface::Kind::kRule, "", "", "", "virtio_net"}, {"eth0"}},
      {"subnet", {Iface::Kind::kRule, "", "10.34.0.0/16", "", ""}, {"enp3s0f1"}},
      {"IPv6 subnet", {Iface::Kind::kRule, "", "fd00::/64", "", ""}, {"eth0"}},
      {"all conditions", {Iface::Kind::kRule, "", "10.33.0.0/24", "enp*", "ixgbe"}, {"enp3s0f0"}},
      {"nothing", {Iface::Kind::kRule, "", "10.99.0.0/24", "", ""}, {}},
      {"empty rule", {Iface::Kind::kRule, "", "", "", ""}, {}},
      {"record", {Iface::Kind::kRecord, "iface0", "", "", ""}, {}},
      {"default", {}, {}},
  };
  for (const Case& c : cases) {
    CAPTURE(c.what);
    std::vector<std::string> names;
    for (const NicFacts& n : SelectNics(c.iface, nics)) {
      names.push_back(n.name);
    }
    CHECK(names == c.names);
  }
}

TEST_CASE("binding sessions to NICs") {
  LoadedConfig loaded = ParseConfigText(R"({"targets": [
      {"name": "iqn.2001-05.com.x", "portal": {"address": "10.33.0.10"},
       "sessions": [{"iface": {"match": {"name": "enp*"}}}, {"iface": "00:0E:0C:C2:C1:63"},
                    {"iface": {"record": "bnx2i.00:10:18:aa:bb:cc"}}, {"iface": "eth9"}]},
      {"name": "iqn.2001-05.com.y", "portal": {"address": "10.33.0.11"}}]})",
                                        "f.json");
  REQUIRE(loaded.ok());
  const std::vector<NicFacts> nics = {
      {"enp3s0f0", "00:0E:0C:C2:C1:63", "ixgbe", {"10.33.0.5/24"}},
      {"enp3s0f1", "00:0e:0c:c2:c3:bb", "ixgbe", {"10.33.0.6/24"}},
  };
  std::vector<BoundSession> bound = BindSessions(loaded.sessions, nics);
  // The rule takes both enp NICs; the MAC session lands on enp3s0f0 again: a conflict, on
  // both sessions involved (and on nothing else).
  REQUIRE(bound.size() == 6);
  CHECK(bound[2].desired_index == 1);
  CHECK(bound[2].conflict.find("enp3s0f0 (00:0e:0c:c2:c1:63)") != std::string::npos);
  CHECK(bound[2].conflict.find("/targets/0/sessions/0 and /targets/0/sessions/1") !=
        std::string::npos);
  CHECK(bound[0].conflict == bound[2].conflict);
  CHECK(bound[1].conflict.empty());
  CHECK(bound[0].nic.name == "enp3s0f0");
  CHECK(bound[1].nic.name == "enp3s0f1");
  CHECK(bound[3].desired_index == 2);  // the record: open-iscsi binds it
  CHECK(bound[3].nic.name.empty());
  CHECK(bound[4].desired_index == 3);  // eth9 is absent: marked, no NIC
  CHECK(bound[4].absent == "no NIC named eth9 on this host: no session");
  CHECK(bound[5].desired_index == 4);  // target y: default route
  CHECK(bound[5].absent.empty());
  CHECK(bound[3].nic.name.empty());
}
