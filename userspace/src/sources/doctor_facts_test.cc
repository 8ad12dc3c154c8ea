#include "sources/doctor_facts.h"

#include <doctest/doctest.h>

#include <filesystem>

#include "testing/test_util.h"

using namespace iscsictl;
using iscsictl::testing::TempDir;

TEST_CASE("doctor facts: a NIC's ARP sysctls and a disk's INQUIRY identity") {
  TempDir root;
  std::filesystem::create_directories(root.path() / "proc/sys/net/ipv4/conf/ve0");
  std::filesystem::create_directories(root.path() / "proc/sys/net/ipv4/conf/all");
  root.Write("proc/sys/net/ipv4/conf/ve0/arp_ignore", "1\n");
  root.Write("proc/sys/net/ipv4/conf/ve0/arp_announce", "2\n");
  root.Write("proc/sys/net/ipv4/conf/ve0/rp_filter", "0\n");
  root.Write("proc/sys/net/ipv4/conf/all/rp_filter", "2\n");
  Ipv4Conf ve0 = ReadIpv4Conf(root.path().string(), "ve0");
  CHECK(ve0.arp_ignore == 1);
  CHECK(ve0.arp_announce == 2);
  CHECK(ve0.rp_filter == 0);
  Ipv4Conf all = ReadIpv4Conf(root.path().string(), "all");
  CHECK(all.arp_ignore == std::nullopt);
  CHECK(all.rp_filter == 2);
  CHECK(ReadIpv4Conf(root.path().string(), "ve9").rp_filter == std::nullopt);
  CHECK(ReadIpv4Conf(root.path().string(), "../conf/ve0").rp_filter == std::nullopt);

  std::filesystem::create_directories(root.path() / "sys/class/scsi_device/2:0:0:1/device");
  root.Write("sys/class/scsi_device/2:0:0:1/device/vendor", "LIO-ORG \n");
  root.Write("sys/class/scsi_device/2:0:0:1/device/model", "doctor-lun0     \n");
  CHECK(ReadScsiIdentity(root.path().string(), "2:0:0:1") == ScsiIdentity{"LIO-ORG", "doctor-lun0"});
  CHECK(ReadScsiIdentity(root.path().string(), "2:0:0:2") == ScsiIdentity{});
  CHECK(ReadScsiIdentity(root.path().string(), "../x") == ScsiIdentity{});
}
