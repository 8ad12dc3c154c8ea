#include "sources/pci_path.h"

#include <doctest/doctest.h>

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
