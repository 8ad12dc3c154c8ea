#include "plan/bindings.h"

#include <doctest/doctest.h>

namespace iscsictl {
namespace {

constexpr const char* kT = "iqn.2003-01.org.example:t1";
constexpr const char* kMacB = "52:54:00:0b:00:02";
constexpr const char* kMacC = "52:54:00:0b:00:03";

}  // namespace

TEST_CASE("MakeBindings: NICs by MAC, rule and name; missing NIC; foreign record") {
  DesiredSession s;
  s.pointer = "/targets/0/sessions/0";
  s.target = kT;
  s.tpgt = 1;
  s.startup = "manual";
  s.params = BuiltinSessionParams();
  ConnParams c = BuiltinConnParams();
  c.address = "10.33.0.10";
  c.port = 3261;
  s.conns = {c};
  std::vector<NicFacts> nics = {{"ens4", "52:54:00:0B:00:01", "e1000e", {"10.33.0.101/24"}},
                                {"ens5", kMacB, "e1000e", {}}};
  SUBCASE("by MAC, upper case in the config") {
    s.iface = {Iface::Kind::kMac, "52:54:00:0b:00:01", "", "", ""};
    ConfigErrors errors;
    auto b = MakeBindings({s}, nics, {}, {}, "f.json", errors);
    REQUIRE(b.size() == 1);
    CHECK(errors.empty());
    CHECK(b[0].key == NodeKey{kT, "10.33.0.10", 3261, 1, "ictl-5254000b0001"});
    CHECK(b[0].nic == "ens4");
    CHECK(b[0].nic_ready);
    CHECK(b[0].node_fields.at("node.conn[0].port") == "3261");
    CHECK(b[0].node_fields.at("iface.hwaddress") == "52:54:00:0b:00:01");
  }
  SUBCASE("a NIC without address is bound but not ready") {
    s.iface = {Iface::Kind::kNetdev, "ens5", "", "", ""};
    ConfigErrors errors;
    auto b = MakeBindings({s}, nics, {}, {}, "f.json", errors);
    REQUIRE(b.size() == 1);
    CHECK_FALSE(b[0].nic_ready);
    CHECK(b[0].not_ready == "has no address yet");
  }
  SUBCASE("a NIC with an address but no carrier is not ready") {
    nics[0].carrier = false;
    s.iface = {Iface::Kind::kNetdev, "ens4", "", "", ""};
    ConfigErrors errors;
    auto b = MakeBindings({s}, nics, {}, {}, "f.json", errors);
    REQUIRE(b.size() == 1);
    CHECK_FALSE(b[0].nic_ready);
    CHECK(b[0].not_ready == "has no carrier");
  }
  SUBCASE("a missing NIC yields a binding marked absent, and is no error") {
    s.iface = {Iface::Kind::kMac, kMacC, "", "", ""};
    ConfigErrors errors;
    auto b = MakeBindings({s}, nics, {}, {}, "f.json", errors);
    REQUIRE(b.size() == 1);
    CHECK(b[0].absent.find("no NIC with MAC") != std::string::npos);
    CHECK(b[0].key.iface == OwnedIfaceName(kMacC));
    CHECK(b[0].node_fields.empty());  // nothing to write for it
    CHECK(errors.empty());
  }
  SUBCASE("a foreign iface record must exist") {
    s.iface = {Iface::Kind::kRecord, "qla4xxx.00:0e:1e:04:8b:2a", "", "", ""};
    ConfigErrors errors;
    CHECK(MakeBindings({s}, nics, {}, {}, "f.json", errors).empty());
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].pointer == "/targets/0/sessions/0/iface");
    RecordDb db;
    db.ifaces["qla4xxx.00:0e:1e:04:8b:2a"] = {"qla4xxx.00:0e:1e:04:8b:2a",
                                              {{"iface.transport_name", "qla4xxx"}}};
    errors.clear();
    auto b = MakeBindings({s}, nics, db, {}, "f.json", errors);
    REQUIRE(b.size() == 1);
    CHECK_FALSE(b[0].owned_iface);
    CHECK(b[0].node_fields.at("iface.transport_name") == "qla4xxx");
  }
  SUBCASE("secrets come from the secret map") {
    s.iface = {Iface::Kind::kDefault, "", "", "", ""};
    s.params.authmethod = "CHAP";
    s.params.username = "u";
    s.params.password = Secret{"", "/etc/iscsictl/secrets/x"};
    ConfigErrors errors;
    auto b = MakeBindings({s}, nics, {}, {{"/etc/iscsictl/secrets/x", "pw1"}}, "f.json", errors);
    REQUIRE(b.size() == 1);
    CHECK(b[0].key.iface == "ictl-default");
    CHECK(b[0].node_fields.at("node.session.auth.password") == "pw1");
  }
}

}  // namespace iscsictl
