#include "base/names.h"

#include <doctest/doctest.h>

#include <string>

using namespace iscsictl;

TEST_CASE("iSCSI names") {
  struct Case {
    const char* name;
    bool ok;
  };
  const Case cases[] = {
      {"iqn.2001-05.com.equallogic:6-8a0900-fdf687001-3e3000035b045ecb-test", true},
      {"iqn.2003-01.org.linux-iscsi.host:sn.1234", true},
      {"iqn.2003-01.org", true},
      {"eui.02004567A425678D", true},
      {"naa.52004567BA64678D", true},
      {"naa.62004567BA64678D0123456789ABCDEF", true},
      {"iqn.2001-13.com.x", false},
      {"iqn.01-05.com.x", false},
      {"iqn.2001-05", false},
      {"iqn.2001-05.-bad.com", false},
      {"eui.0200", false},
      {"naa.52004567BA64678DX", false},
      {"target1", false},
      // RFC 3722 characters only: nothing that leaves a path component or ends a line.
      {"iqn.2003-01.org.x:../../../../tmp/x", false},
      {"iqn.2003-01.org.x:a/b", false},
      {"iqn.2003-01.org.x:..", true},  // one component: no '/'
      {"iqn.2003-01.org.x:a b", false},
      {"iqn.2003-01.org.x:a\tb", false},
      {"iqn.2003-01.org.x:a\nnode.startup", false},
      {"iqn.2003-01.org.x:a_b", false},
      {"iqn.2003-01.org.x:caf\xc3\xa9", false},
      {"iqn.2003-01.org.x:a\x7f", false},
      {"", false},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    CHECK(IsIscsiName(c.name) == c.ok);
  }
  CHECK_FALSE(IsIscsiName("iqn.2001-05.com.x:" + std::string(300, 'a')));
  CHECK_FALSE(IsIscsiName(std::string("iqn.2003-01.org.x:t\0/../x", 24)));
}

TEST_CASE("MAC addresses and netdev names") {
  CHECK(IsMacAddress("00:0E:0C:C2:C1:63"));
  CHECK(IsMacAddress("00:0e:0c:c2:c1:63"));
  CHECK_FALSE(IsMacAddress("00:0E:0C:C2:C3:ZZ"));
  CHECK_FALSE(IsMacAddress("00-0E-0C-C2-C3-BB"));
  CHECK_FALSE(IsMacAddress("00:0E:0C:C2:C3"));
  CHECK(NormalizeMac("00:0E:0C:C2:C1:6A") == "00:0e:0c:c2:c1:6a");
  CHECK(IsNetdevName("eth0"));
  CHECK(IsNetdevName("enp3s0f1"));
  CHECK_FALSE(IsNetdevName("a-name-much-too-long"));
  CHECK_FALSE(IsNetdevName("eth0:1"));
  CHECK_FALSE(IsNetdevName("a/b"));
  CHECK_FALSE(IsNetdevName(""));
  CHECK_FALSE(IsNetdevName(".."));
}

TEST_CASE("hosts and subnets") {
  CHECK(IsHost("10.33.0.10"));
  CHECK(IsHost("fe80::1"));
  CHECK(IsHost("fe80::1%eth0"));
  CHECK(IsHost("2001:db8::10"));
  CHECK(IsHost("san-a.example.com"));
  CHECK(IsHost("san1"));
  CHECK_FALSE(IsHost("10.33.0.300"));
  CHECK_FALSE(IsHost("-bad.example"));
  CHECK_FALSE(IsHost("a..b"));
  CHECK_FALSE(IsHost("fe80:::1"));
  CHECK(IsSubnet("10.33.0.0/24"));
  CHECK(IsSubnet("fd00::/64"));
  CHECK_FALSE(IsSubnet("10.33.0.0/33"));
  CHECK_FALSE(IsSubnet("10.33.0.0"));
  CHECK_FALSE(IsSubnet("10.33.0.0/"));
  CHECK_FALSE(IsSubnet("fd00::/129"));
}

TEST_CASE("canonical hosts") {
  CHECK(CanonicalHost("10.33.0.10") == "10.33.0.10");
  CHECK(CanonicalHost("FE80:0:0::1") == "fe80::1");
  CHECK(CanonicalHost("fe80::1%eth0") == "fe80::1%eth0");
  CHECK(CanonicalHost("2001:DB8:0::10") == "2001:db8::10");
  CHECK(CanonicalHost("SAN-A.Example.com.") == "san-a.example.com");
}
