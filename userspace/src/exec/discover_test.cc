#include "exec/discover.h"

#include <doctest/doctest.h>

#include "store/record_store.h"
#include "testing/fake_runner.h"
#include "testing/test_util.h"

namespace iscsictl {
namespace {

using testing::FakeIscsid;
using testing::FakeRunner;
using testing::TempDir;

ReconcileEnv Env(const TempDir& dir, const std::string& fixture) {
  ReconcileEnv env;
  env.sysfs_root = testing::SourcePath("userspace/testdata/sysfs/" + fixture);
  env.iscsi_root = (dir.path() / "iscsi").string();
  env.lock_path = (dir.path() / "lock").string();
  env.lock_wait = std::chrono::milliseconds(0);
  return env;
}

}  // namespace

TEST_CASE("discovery: SendTargets lines, IPv4 and IPv6; anything else is skipped") {
  std::vector<DiscoveredTarget> t = ParseSendTargets(
      "10.33.0.10:3260,1 iqn.2003-01.org.example:t1\n"
      "[fd00:33::10]:3261,2 iqn.2003-01.org.example:t1\n"
      "iscsiadm: something odd\n"
      "10.33.0.10:3260,1 not-an-iqn\n"
      // A hostile target's names: a path out of the record tree, a forged record line.
      "10.33.0.10:3260,1 iqn.2003-01.org.example:../../../../tmp/x\n"
      "10.33.0.10:3260,1 iqn.2003-01.org.example:t\x01x\n"
      "10.33.0.10:99999,1 iqn.2003-01.org.example:t2\n");
  REQUIRE(t.size() == 2);
  CHECK(t[0].address == "10.33.0.10");
  CHECK(t[0].port == 3260);
  CHECK(t[0].tpgt == 1);
  CHECK(t[1].address == "fd00:33::10");
  CHECK(t[1].port == 3261);
  CHECK(t[1].tpgt == 2);
}

TEST_CASE("discovery through the runner: iface record first, IPv6 portal bracketed") {
  TempDir dir;
  ReconcileEnv env = Env(dir, "software");
  FakeIscsid iscsid;
  env.iscsid_socket = iscsid.name();
  FakeRunner runner;
  runner.answers["sendtargets"] =
      testing::Exited(0, "", "[fd00:33::10]:3260,1 iqn.2003-01.org.example:t1\n");
  Discovery d = Discover({"fd00:33::10", "", ""}, env, runner);
  REQUIRE(d.stop == Discovery::Stop::kNone);
  CHECK(d.portal == "[fd00:33::10]:3260");
  CHECK(d.iface == "ictl-default");
  REQUIRE(runner.Calls().size() == 1);
  CHECK(runner.Calls()[0] == std::vector<std::string>{"iscsiadm", "-m", "discovery", "-t",
                                                      "sendtargets", "-p", "[fd00:33::10]:3260",
                                                      "-I", "ictl-default", "-o", "nonpersistent"});
  REQUIRE(d.targets.size() == 1);
  CHECK(d.targets[0].address == "fd00:33::10");
  RecordDb db = RecordStore(env.iscsi_root).Read();
  CHECK(db.ifaces.count("ictl-default") == 1);
  CHECK(db.nodes.empty());  // nonpersistent: no node record

  // Through a NIC of the tree, by name: its own iface record, bound by MAC.
  Discovery nic = Discover({"10.33.0.10", "ve1", ""}, env, runner);
  REQUIRE(nic.stop == Discovery::Stop::kNone);
  CHECK(nic.iface == "ictl-020000000501");
  CHECK(nic.mac == "02:00:00:00:05:01");
  CHECK(RecordStore(env.iscsi_root).Read().ifaces.count("ictl-020000000501") == 1);
}

TEST_CASE("discovery: bad input, iscsid down and a failed iscsiadm are data") {
  TempDir dir;
  ReconcileEnv env = Env(dir, "qla4xxx");
  FakeRunner runner;
  env.iscsid_socket = testing::NoIscsid();
  CHECK(Discover({"not a host", "", ""}, env, runner).stop == Discovery::Stop::kBadInput);
  Discovery nonic = Discover({"10.33.0.10", "nosuch0", ""}, env, runner);
  CHECK(nonic.stop == Discovery::Stop::kBadInput);
  CHECK(nonic.error == "-I nosuch0: no such NIC (by name or MAC)");
  CHECK(Discover({"10.33.0.10", "", "host9"}, env, runner).error == "-H host9: no such iSCSI host");
  // An offload port: discovery goes through the HBA's own record, which is never written.
  RecordStore(env.iscsi_root)
      .WriteIface(
          {"qla4xxx.00:0e:1e:00:00:01",
           {{"iface.hwaddress", "00:0e:1e:00:00:01"}, {"iface.transport_name", "qla4xxx"}}});
  Discovery down = Discover({"10.33.0.10", "", "host5"}, env, runner);
  CHECK(down.stop == Discovery::Stop::kEnvironment);
  CHECK(down.iface == "qla4xxx.00:0e:1e:00:00:01");
  CHECK(down.error.find("iscsid is not running") != std::string::npos);
  CHECK(runner.Calls().empty());
  FakeIscsid iscsid;
  env.iscsid_socket = iscsid.name();
  runner.answers["sendtargets"] = testing::Exited(6, "iscsiadm: connection refused\n");
  Discovery failed = Discover({"10.33.0.10", "", "5"}, env, runner);
  CHECK(failed.stop == Discovery::Stop::kFailed);
  CHECK(failed.error ==
        "discovery at 10.33.0.10:3260 through qla4xxx.00:0e:1e:00:00:01 failed: exit 6: "
        "iscsiadm: connection refused");
}

}  // namespace iscsictl
