#include "sources/disk_use.h"

#include <doctest/doctest.h>

#include <filesystem>

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

TEST_CASE("disk use without claiming: other mount namespaces, swap, writers; readers are not use") {
  testing::TempDir root;
  const std::vector<std::string> disks{"sdc", "sdd", "sde", "sdf", "sdg"};
  LiveSession s;
  int minor = 32;
  for (const std::string& b : disks) {
    root.Write("sys/block/" + b + "/dev", "8:" + std::to_string(minor) + "\n");
    root.Write("sys/block/" + b + "/device/wwid", "naa." + b + "\n");
    s.disks.push_back({"2:0:0:" + std::to_string(minor), b, "running", {}});
    minor += 16;
  }
  root.Write("proc/self/mountinfo", "22 1 0:21 / /proc rw - proc proc rw\n");
  root.Write("proc/swaps",
             "Filename\tType\tSize\tUsed\tPriority\n/dev/sdf partition 1024 0 -2\n");
  namespace fs = std::filesystem;
  const fs::path p = root.path() / "proc";
  // Process 100: in another mount namespace where sdc is mounted (by source: btrfs and
  // friends show an anonymous device number); sdd open for writing, sde only for reading.
  root.Write("proc/100/mountinfo", "50 1 0:45 / /srv rw - btrfs /dev/sdc rw\n");
  root.Write("proc/100/comm", "dbwriter\n");
  fs::create_directories(p / "100/ns");
  fs::create_symlink("mnt:[4026532000]", p / "100/ns/mnt");
  fs::create_directories(p / "100/fd");
  fs::create_symlink("/dev/sdd", p / "100/fd/3");
  fs::create_symlink("/dev/sde", p / "100/fd/4");
  fs::create_symlink("socket:[99]", p / "100/fd/5");
  root.Write("proc/100/fdinfo/3", "pos:\t0\nflags:\t0100002\nmnt_id:\t20\n");
  root.Write("proc/100/fdinfo/4", "pos:\t0\nflags:\t0100000\nmnt_id:\t20\n");
  std::map<std::string, DiskUse> use = ReadDiskUse({s}, root.path().string());
  REQUIRE(use.size() == 5);
  CHECK(use["sdc"].why == "sdc mounted on /srv");
  CHECK(use["sdd"].why == "sdd open for writing by 100 (dbwriter)");
  CHECK_FALSE(use["sde"].in_use);
  CHECK(use["sdf"].why == "sdf is swap");
  CHECK_FALSE(use["sdg"].in_use);
  // WWIDs alone for the other paths: nothing else is read.
  std::map<std::string, DiskUse> wwids = ReadDiskWwids({s}, root.path().string());
  CHECK(wwids.size() == 5);
  CHECK(wwids["sdd"].wwid == "naa.sdd");
  CHECK_FALSE(wwids["sdd"].in_use);
}

}  // namespace iscsictl
