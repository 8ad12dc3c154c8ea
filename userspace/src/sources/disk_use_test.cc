#include "sources/disk_use.h"

#include <doctest/doctest.h>

#include "testing/test_util.h"

namespace iscsictl {

TEST_CASE("disk use: held, mounted (a partition too), or free; WWIDs for other paths") {
  testing::TempDir root;
  for (const char* b : {"sda", "sdb", "sdc"}) {
    root.Write(std::string("sys/block/") + b + "/device/wwid",
               std::string("naa.6001405") + b + "  \n");
    root.Write(std::string("dev/") + b, "");
  }
  root.Write("sys/block/sda/dev", "8:0\n");
  root.Write("sys/block/sdb/dev", "8:16\n");
  root.Write("sys/block/sdb/sdb1/dev", "8:17\n");
  root.Write("sys/block/sdc/dev", "8:32\n");
  root.Write("proc/self/mountinfo",
             "22 1 0:21 / /proc rw - proc proc rw\n"
             "40 1 8:17 / /mnt/data rw - ext4 /dev/sdb1 rw\n");
  LiveSession s;
  s.disks = {{"2:0:0:0", "sda", "running", {"dm-0"}},
             {"2:0:0:1", "sdb", "running", {}},
             {"2:0:0:2", "sdc", "running", {}},
             {"2:0:0:3", "", "running", {}}};
  std::map<std::string, DiskUse> use = ReadDiskUse({s}, root.path().string());
  REQUIRE(use.size() == 3);
  CHECK(use["sda"].in_use);
  CHECK(use["sda"].why == "held by dm-0");
  CHECK(use["sda"].wwid == "naa.6001405sda");
  CHECK(use["sdb"].in_use);
  CHECK(use["sdb"].why == "sdb1 mounted on /mnt/data");
  CHECK_FALSE(use["sdc"].in_use);
  CHECK(use["sdc"].why.empty());
  CHECK(use["sdc"].wwid == "naa.6001405sdc");
}

}  // namespace iscsictl
