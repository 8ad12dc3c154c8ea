#include "plan/record_id.h"

#include <doctest/doctest.h>

using namespace iscsictl;

TEST_CASE("connection record IDs in the request's format") {
  CHECK(RecordId({"iqn.2001-05.com.x", "10.33.0.10", 3260, "tcp", "", "00:11:22:33:44:55"}) ==
        "iqn.2001-05.com.x,10.33.0.10,3260,sw,eth,00:11:22:33:44:55");
  CHECK(RecordId({"iqn.2001-05.com.x", "10.33.0.10", 3261, "", "", "00:0E:0C:C2:C1:63"}) ==
        "iqn.2001-05.com.x,10.33.0.10,3261,sw,eth,00:0e:0c:c2:c1:63");
  CHECK(RecordId({"iqn.2001-05.com.x", "10.33.0.10", 3260, "qla4xxx", "0000:00:00.0",
                  "11:22:33:44:55:66"}) ==
        "iqn.2001-05.com.x,10.33.0.10,3260,qla4xxx,pci/0000:00:00.0,11:22:33:44:55:66");
}
