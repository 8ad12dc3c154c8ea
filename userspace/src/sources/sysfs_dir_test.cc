#include "sources/sysfs_dir.h"

#include <doctest/doctest.h>

#include "testing/test_util.h"

using namespace iscsictl;

TEST_CASE("PCI addresses") {
  CHECK(IsPciAddress("0000:03:00.1"));
  CHECK(IsPciAddress("10000:00:1c.7"));
  CHECK_FALSE(IsPciAddress("0000:03:00.8"));
  CHECK_FALSE(IsPciAddress("host6"));
  CHECK_FALSE(IsPciAddress("pci0000:00"));
  CHECK_FALSE(IsPciAddress("0000:03:00"));
  CHECK_FALSE(IsPciAddress("0000:0g:00.1"));
  CHECK(LastPciComponent("sys/devices/pci0000:00/0000:00:1c.0/0000:03:00.1/host6") ==
        "0000:03:00.1");
  CHECK(LastPciComponent("sys/devices/platform/host2").empty());
}

TEST_CASE("SysfsDir reads attributes, lists, links") {
  iscsictl::testing::TempDir dir;
  dir.Write("a", "value\n");
  dir.Write("empty", "\n");
  SysfsDir d = SysfsDir::OpenRoot(dir.path().string());
  REQUIRE(d.Valid());
  bool exists = false;
  CHECK(d.Read("a", &exists) == "value");
  CHECK(exists);
  CHECK(d.Read("empty", &exists) == "");
  CHECK(exists);
  CHECK_FALSE(d.Read("nope", &exists).has_value());
  CHECK_FALSE(exists);
  CHECK(d.ReadBytes("a") == "value\n");
  CHECK(d.Exists("a"));
  CHECK_FALSE(d.Exists("b"));
  CHECK(d.List().size() == 2);
  CHECK(d.List("nope").empty());
  CHECK(d.ReadLink("a").empty());
  CHECK_FALSE(SysfsDir::Open(d, "nope").Valid());
}
