#include "sources/nics.h"

#include <doctest/doctest.h>

#include <cstring>
#include <filesystem>

#include "testing/test_util.h"

using namespace iscsictl;
using iscsictl::testing::SourcePath;

TEST_CASE("NIC inventory from a recorded sysfs tree, joined with driver, PCI slot, serial") {
  std::vector<NicInfo> nics = ReadNicsSysfs(SourcePath("userspace/testdata/sysfs/software"));
  REQUIRE(nics.size() == 3);
  const NicInfo* e = FindNic(nics, "enp2s0");
  REQUIRE(e != nullptr);
  CHECK(e->mac == "52:54:00:0b:00:01");
  CHECK(e->operstate == "up");
  CHECK(e->carrier);
  CHECK(e->driver == "e1000e");
  CHECK(e->pci_slot == "0000:02:00.0");
  CHECK(e->serial == "52-54-00-ff-ff-0b-00-01");
  const NicInfo* v = FindNic(nics, "ve0");
  REQUIRE(v != nullptr);
  CHECK(v->mac == "02:00:00:00:05:00");
  CHECK(v->driver.empty());
  CHECK(v->pci_slot.empty());
  CHECK(v->serial.empty());
  CHECK(FindNic(nics, "lo") == nullptr);
  NicFacts f = e->Facts();
  CHECK(f.name == "enp2s0");
  CHECK(f.driver == "e1000e");
}

TEST_CASE("PCIe Device Serial Number from config space") {
  std::string cfg(4096, '\0');
  auto put32 = [&](size_t off, uint32_t v) { std::memcpy(cfg.data() + off, &v, 4); };
  CHECK(DsnFromConfigSpace(cfg).empty());
  CHECK(DsnFromConfigSpace("").empty());
  // AER (0x0001) at 0x100 pointing to DSN at 0x140.
  put32(0x100, 0x0001 | (1u << 16) | (0x140u << 20));
  put32(0x140, 0x0003 | (1u << 16));
  put32(0x144, 0x0b000100);  // low dword
  put32(0x148, 0x005254ff);  // high dword
  CHECK(DsnFromConfigSpace(cfg) == "00-52-54-ff-0b-00-01-00");
  // A loop in the capability list ends.
  put32(0x100, 0x0001 | (1u << 16) | (0x100u << 20));
  CHECK(DsnFromConfigSpace(cfg).empty());
}

TEST_CASE("NIC inventory through netlink (whatever this machine has)") {
  std::string error;
  std::vector<NicInfo> nics = ReadNicsNetlink(&error);
  if (!error.empty()) {
    MESSAGE("netlink unavailable here: " << error);
    return;
  }
  for (const NicInfo& n : nics) {
    CHECK_FALSE(n.name.empty());
    CHECK(n.ifindex > 0);
    CHECK(n.name != "lo");
  }
  JoinNicSysfs(nics, "/");
  // Each NIC's driver is what sysfs links to, "" for one without a device (veth, bridge...).
  for (const NicInfo& n : nics) {
    CAPTURE(n.name);
    std::error_code ec;
    std::filesystem::path drv = "/sys/class/net/" + n.name + "/device/driver";
    std::string want = std::filesystem::is_symlink(drv, ec)
                           ? std::filesystem::read_symlink(drv, ec).filename().string()
                           : "";
    CHECK(n.driver == want);
    CHECK((n.pci_slot.empty() || n.pci_slot.size() == 12));  // "0000:02:00.0"
  }
}
