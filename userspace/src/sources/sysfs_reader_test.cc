#include "sources/sysfs_reader.h"

#include <doctest/doctest.h>

#include <filesystem>
#include <stdexcept>

#include "plan/status_report.h"
#include "testing/test_util.h"

using namespace iscsictl;
using iscsictl::testing::SourcePath;

constexpr auto* Fixture = &iscsictl::testing::SysfsFixture;

TEST_CASE("sysfs reader: software iSCSI with the module loaded") {
  LiveState st = ReadSysfsLiveState(Fixture("software"));
  CHECK(st.module_loaded);
  REQUIRE(st.hosts.size() == 3);
  REQUIRE(st.sessions.size() == 3);
  const LiveHost& h2 = st.hosts[0];
  CHECK(h2.host_no == 2);
  CHECK(h2.driver == "iscsi_tcp");
  CHECK(h2.IsSoftware());
  CHECK(h2.Transport() == "tcp");
  CHECK(h2.netdev == "ve0");
  CHECK(h2.hwaddress == "default");
  CHECK(h2.ipaddress == "10.33.0.101");
  CHECK(h2.pci_slot.empty());  // iscsi_tcp hosts live under /sys/devices/platform
  CHECK(h2.has_module_attrs);
  CHECK(h2.hba_hwaddress == "02:00:00:00:05:00");

  const LiveSession& s1 = st.sessions[0];
  CHECK(s1.sid == 1);
  CHECK(s1.host_no == 2);
  CHECK(s1.targetname == "iqn.2026-11.lab.target:status");
  CHECK(s1.tpgt == 1);
  CHECK(s1.state == "LOGGED_IN");
  CHECK(s1.ifacename == "if-ve0");
  CHECK(s1.recovery_tmo == 120);
  CHECK(s1.initial_r2t == "0");
  CHECK(s1.immediate_data == "1");
  CHECK(s1.first_burst_len == 262144);
  CHECK(s1.max_burst_len == 16776192);
  CHECK(s1.max_outstanding_r2t == 1);
  CHECK(s1.erl == 0);
  REQUIRE(s1.connections.size() == 1);
  const LiveConnection& c = s1.connections[0];
  CHECK(c.cid == 0);
  CHECK(c.address == "10.33.0.10");
  CHECK(c.port == 3260);
  CHECK(c.persistent_address == "10.33.0.10");
  CHECK(c.persistent_port == 3260);
  CHECK(c.local_port == 40001);
  CHECK(c.state == "up");
  CHECK(c.max_recv_dlength == 262144);
  CHECK(c.header_digest == "None");
  CHECK(c.has_module_attrs);
  CHECK(c.iface == "ve0");
  CHECK(c.iface_hwaddress == "02:00:00:00:05:00");
  REQUIRE(s1.disks.size() == 1);
  CHECK(s1.disks[0].hctl == "2:0:0:0");
  CHECK(s1.disks[0].block == "sda");
  CHECK(s1.disks[0].state == "running");
  CHECK(s1.disks[0].holders == std::vector<std::string>{"dm-0"});
}

TEST_CASE("sysfs reader: a FAILED session whose connection is in recovery") {
  LiveState st = ReadSysfsLiveState(Fixture("software"));
  REQUIRE(st.sessions.size() == 3);
  const LiveSession& s3 = st.sessions[2];
  CHECK(s3.sid == 3);
  CHECK(s3.state == "FAILED");
  REQUIRE(s3.connections.size() == 1);
  const LiveConnection& c = s3.connections[0];
  CHECK(c.state == "failed");
  // Reads that fail in the kernel (-ENOTCONN) leave the values unset.
  CHECK(c.address.empty());
  CHECK_FALSE(c.port.has_value());
  CHECK_FALSE(c.local_port.has_value());
  CHECK(c.PortalAddress() == "10.33.0.10");
  CHECK(c.PortalPort() == 3260);
  // The module is loaded but the connection has no socket: iface is present and empty.
  CHECK(c.has_module_attrs);
  CHECK(c.iface.empty());
  REQUIRE(s3.disks.size() == 1);
  CHECK(s3.disks[0].block == "sdc");
  CHECK(s3.disks[0].state == "blocked");
  CHECK(s3.disks[0].holders.empty());
}

TEST_CASE("sysfs reader: without the module no module attribute is seen") {
  LiveState st = ReadSysfsLiveState(Fixture("software-nomodule"));
  CHECK_FALSE(st.module_loaded);
  REQUIRE(st.sessions.size() == 3);
  for (const LiveHost& h : st.hosts) {
    CHECK_FALSE(h.has_module_attrs);
    CHECK(h.hba_hwaddress.empty());
  }
  for (const LiveSession& s : st.sessions) {
    REQUIRE(s.connections.size() == 1);
    CHECK_FALSE(s.connections[0].has_module_attrs);
  }
  CHECK(st.sessions[1].disks[0].holders == std::vector<std::string>{"dm-0"});
}

TEST_CASE("sysfs reader: qla4xxx, one iscsi_host per PCI function") {
  LiveState st = ReadSysfsLiveState(Fixture("qla4xxx"));
  REQUIRE(st.hosts.size() == 2);
  CHECK(st.hosts[0].host_no == 5);
  CHECK(st.hosts[0].pci_slot == "0000:03:00.0");
  CHECK(st.hosts[1].host_no == 6);
  CHECK(st.hosts[1].pci_slot == "0000:03:00.1");
  for (const LiveHost& h : st.hosts) {
    CHECK(h.driver == "qla4xxx");
    CHECK_FALSE(h.IsSoftware());
    CHECK(h.Transport() == "qla4xxx");
    CHECK(h.netdev.empty());  // qla4xxx has no netdev attribute
  }
  CHECK(st.hosts[1].hwaddress == "00:0e:1e:00:00:02");
  REQUIRE(st.sessions.size() == 1);
  CHECK(st.sessions[0].sid == 7);
  CHECK(st.sessions[0].host_no == 6);
  CHECK(st.FindHost(6) == &st.hosts[1]);
  CHECK(st.FindHost(9) == nullptr);
}

TEST_CASE("sysfs reader: a missing or empty root yields an empty state") {
  iscsictl::testing::TempDir dir;
  LiveState empty = ReadSysfsLiveState(dir.path().string());
  CHECK(empty.sessions.empty());
  CHECK(empty.hosts.empty());
  LiveState none = ReadSysfsLiveState(dir.path().string() + "/does-not-exist");
  CHECK(none.sessions.empty());
}

namespace {

// A copy of a recorded tree with the kernel's own per-connection attributes (kmod/upstream's
// series) added to connection1:0 (ve0's) and, unreadable as without a socket (ENOTCONN;
// recorded as a directory), to connection2:0; connection3:0 has none.
std::filesystem::path WithKernelAttrs(const iscsictl::testing::TempDir& tmp,
                                      const std::string& fixture, const std::string& netdev) {
  std::filesystem::path root = tmp.path() / "root";
  std::filesystem::copy(Fixture(fixture), root,
                        std::filesystem::copy_options::recursive |
                            std::filesystem::copy_options::copy_symlinks);
  const std::string c1 =
      "root/sys/devices/platform/host2/session1/connection1:0/iscsi_connection/connection1:0/";
  tmp.Write(c1 + "local_netdev", netdev + "\n");
  tmp.Write(c1 + "local_hwaddress", "02:00:00:00:0e:09\n");
  tmp.Write(c1 + "local_ipaddr", "10.33.0.101\n");
  tmp.Write(
      "root/sys/devices/platform/host3/session2/connection2:0/iscsi_connection/connection2:0/"
      "local_netdev/.unreadable",
      "");
  return root;
}

const StatusSession& SessionBySid(const StatusReport& r, int sid) {
  for (const StatusTarget& t : r.targets) {
    for (const StatusPortal& p : t.portals) {
      for (const StatusSession& s : p.sessions) {
        if (s.live && s.live->sid == sid) {
          return s;
        }
      }
    }
  }
  FAIL("no session " << sid);
  throw std::logic_error("unreachable");
}

}  // namespace

TEST_CASE("sysfs reader: the kernel's own local_netdev/local_hwaddress, without the module") {
  iscsictl::testing::TempDir tmp;
  LiveState st = ReadSysfsLiveState(WithKernelAttrs(tmp, "software-nomodule", "ve0").string());
  CHECK_FALSE(st.module_loaded);
  REQUIRE(st.sessions.size() == 3);
  const LiveConnection& c1 = st.sessions[0].connections.at(0);
  CHECK(c1.has_kernel_attrs);
  CHECK_FALSE(c1.has_module_attrs);
  CHECK(c1.iface == "ve0");
  CHECK(c1.iface_hwaddress == "02:00:00:00:0e:09");
  const LiveConnection& c2 = st.sessions[1].connections.at(0);
  CHECK(c2.has_kernel_attrs);  // there, but no socket to say: nothing known, no error
  CHECK(c2.iface.empty());
  CHECK(c2.iface_hwaddress.empty());
  CHECK_FALSE(st.sessions[2].connections.at(0).has_kernel_attrs);

  StatusReport r = BuildStatus(st, {}, nullptr);
  const StatusSession& s1 = SessionBySid(r, 1);
  CHECK(s1.nic.source == "kernel");
  CHECK(s1.nic.verified);
  CHECK(s1.nic.netdev == "ve0");
  CHECK(s1.nic.mac == "02:00:00:00:0e:09");
  CHECK(SessionBySid(r, 2).nic.source == "iscsid");  // iscsid's view, unverified
  CHECK(SessionBySid(r, 3).nic.source == "iscsid");
}

TEST_CASE("sysfs reader: the kernel's attributes win over the module's") {
  iscsictl::testing::TempDir tmp;
  LiveState st = ReadSysfsLiveState(WithKernelAttrs(tmp, "software", "vk9").string());
  CHECK(st.module_loaded);
  const LiveConnection& c1 = st.sessions[0].connections.at(0);
  CHECK(c1.has_module_attrs);
  CHECK(c1.iface == "vk9");
  CHECK(SessionBySid(BuildStatus(st, {}, nullptr), 1).nic.source == "kernel");
  // The module's answer stays where the kernel has none.
  CHECK(st.sessions[2].connections.at(0).iface ==
        ReadSysfsLiveState(Fixture("software")).sessions[2].connections.at(0).iface);
}
