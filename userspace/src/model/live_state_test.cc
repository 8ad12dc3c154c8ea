#include "model/live_state.h"

#include <doctest/doctest.h>

using namespace iscsictl;

TEST_CASE("H:C:T:L order is numeric") {
  CHECK(IsHctl("2:0:0:10"));
  CHECK_FALSE(IsHctl("2:0:0"));
  CHECK_FALSE(IsHctl("2:0:0:x"));
  CHECK_FALSE(IsHctl("target2:0:0"));
  CHECK(HctlLess("2:0:0:2", "2:0:0:10"));
  CHECK_FALSE(HctlLess("2:0:0:10", "2:0:0:2"));
  CHECK(HctlLess("9:0:0:0", "10:0:0:0"));
  CHECK(HctlLess("2:0:0:0", "power"));
}

TEST_CASE("hosts: software or offload, transport names") {
  LiveHost h;
  h.driver = "iscsi_tcp";
  CHECK(h.IsSoftware());
  CHECK(h.Transport() == "tcp");
  h.driver = "ib_iser";
  CHECK(h.Transport() == "iser");
  h.driver = "be2iscsi";
  CHECK_FALSE(h.IsSoftware());
  CHECK(h.Transport() == "be2iscsi");
  LiveConnection c;
  c.address = "10.0.0.2";
  c.port = 3261;
  CHECK(c.PortalAddress() == "10.0.0.2");
  CHECK(c.PortalPort() == 3261);
  c.persistent_address = "10.0.0.1";
  c.persistent_port = 3260;
  CHECK(c.PortalAddress() == "10.0.0.1");
  CHECK(c.PortalPort() == 3260);
}
