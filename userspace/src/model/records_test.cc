#include "model/records.h"

#include <doctest/doctest.h>

namespace iscsictl {

TEST_CASE("records: owned iface names") {
  CHECK(OwnedIfaceName("52:54:00:0B:00:01") == "ictl-5254000b0001");
  CHECK(IsOwnedIface("ictl-5254000b0001"));
  CHECK(IsOwnedIface("ictl-default"));
  CHECK_FALSE(IsOwnedIface("ictl-"));
  CHECK_FALSE(IsOwnedIface("default"));
  CHECK_FALSE(IsOwnedIface("if-ve0"));
}

TEST_CASE("records: portal argument with TPGT (never the old layout)") {
  NodeKey k{"iqn.2003-01.org.x:t", "10.0.0.1", 3261, 1, "ictl-default"};
  CHECK(k.PortalArg() == "10.0.0.1:3261,1");
  k.address = "fe80::1";
  CHECK(k.PortalArg() == "[fe80::1]:3261,1");
}

}  // namespace iscsictl
