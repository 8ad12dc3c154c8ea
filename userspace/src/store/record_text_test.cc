#include "store/record_text.h"

#include <doctest/doctest.h>

#include "testing/test_util.h"

using namespace iscsictl;
using iscsictl::testing::ReadText;
using iscsictl::testing::SourcePath;

TEST_CASE("record parsing") {
  RecordLines r = ParseRecord(
      "# BEGIN RECORD 2.1.8\nnode.name = iqn.x\n\niface.hwaddress = <empty>\n"
      "node.conn[0].iscsi.HeaderDigest = CRC32C,None\n# END RECORD\n");
  REQUIRE(r.size() == 3);
  CHECK(*Lookup(r, "node.name") == "iqn.x");
  CHECK(Lookup(r, "iface.hwaddress")->empty());
  CHECK(*Lookup(r, "node.conn[0].iscsi.HeaderDigest") == "CRC32C,None");
  CHECK(Lookup(r, "node.tpgt") == nullptr);

  CHECK(ParseRecords(ReadText(SourcePath("userspace/testdata/import/iscsiadm-node-show.txt")))
            .size() == 2);
  // Without BEGIN/END markers a repeated node.name starts a new record.
  CHECK(ParseRecords("node.name = a\nnode.tpgt = 1\nnode.name = b\nnode.tpgt = 2\n").size() == 2);
}
