#include "sources/multipath_reader.h"

#include <doctest/doctest.h>

#include "sources/multipathd_json.h"
#include "testing/test_util.h"

namespace iscsictl {
namespace {

// A recorded tree: dm-0 a multipath map over sda and sdb, dm-1 an LVM volume.
void Tree(const testing::TempDir& root) {
  root.Write("sys/block/dm-0/dm/name", "mpatha\n");
  root.Write("sys/block/dm-0/dm/uuid", "mpath-36001405abcdef\n");
  root.Write("sys/block/dm-0/size", "32768\n");
  root.Write("sys/block/dm-0/slaves/sda", "");
  root.Write("sys/block/dm-0/slaves/sdb", "");
  root.Write("sys/block/dm-1/dm/name", "vg-root\n");
  root.Write("sys/block/dm-1/dm/uuid", "LVM-xyz\n");
  root.Write("sys/class/block/sda/dev", "8:0\n");
  root.Write("sys/class/block/sdb/dev", "8:16\n");
}

// multipathd 0.9.4's `show maps json`, trimmed to what is read.
constexpr char kJson[] = R"({"major_version": 0, "minor_version": 1, "maps": [{
  "name": "mpatha", "uuid": "36001405abcdef", "sysfs": "dm-0",
  "path_groups": [{"selector": "service-time 0", "pri": 1, "dm_st": "active", "group": 1,
    "paths": [{"dev": "sda", "dev_t": "8:0", "dm_st": "active", "chk_st": "ready", "pri": 1},
              {"dev": "sdb", "dev_t": "8:16", "dm_st": "failed", "chk_st": "faulty", "pri": 1}]}]}]})";

}  // namespace

TEST_CASE("multipath reader: maps from sysfs, states from dm, checkers from multipathd") {
  testing::TempDir root;
  Tree(root);
  std::vector<std::string> asked;
  MultipathIo io;
  io.dm = [&](const std::string& map, bool status, std::string&) -> std::optional<std::string> {
    asked.push_back(map + (status ? " status" : " table"));
    return status ? "2 0 0 0 1 1 A 0 2 2 8:0 A 0 0 1 8:16 F 2 0 1"
                  : "1 queue_if_no_path 0 1 1 service-time 0 2 2 8:0 1 1 8:16 1 1";
  };
  io.multipathd = [](const std::string& cmd, std::string&) -> std::optional<std::string> {
    CHECK(cmd == "show maps json");
    return std::string(kJson);
  };
  MultipathState st = ReadMultipath(root.path().string(), io);
  REQUIRE(st.maps.size() == 1);  // the LVM volume is no multipath map
  const MpathMap& m = st.maps[0];
  CHECK(m.name == "mpatha");
  CHECK(m.dm == "dm-0");
  CHECK(m.wwid == "36001405abcdef");
  CHECK(m.size == 16u << 20);
  CHECK(m.dm_read);
  CHECK(m.features == "1 queue_if_no_path");
  CHECK(asked == std::vector<std::string>{"mpatha table", "mpatha status"});
  REQUIRE(m.paths.size() == 2);
  CHECK(m.ActivePaths() == 1);
  CHECK(st.MapOfDisk("sdb") == &m);
  CHECK(st.MapOfDisk("sdc") == nullptr);
  CHECK(m.PathOf("sdb")->dm_state == "failed");
  CHECK(m.PathOf("sdb")->checker == "faulty");
  CHECK(m.PathOf("sda")->checker == "ready");
  CHECK(st.multipathd);
}

TEST_CASE("multipath reader: dm unreadable, multipathd absent: sysfs membership, reasons") {
  testing::TempDir root;
  Tree(root);
  MultipathIo io;
  io.dm = [](const std::string&, bool, std::string& e) -> std::optional<std::string> {
    e = "device mapper: not readable (needs root)";
    return std::nullopt;
  };
  io.multipathd = [](const std::string&, std::string& e) -> std::optional<std::string> {
    e = "multipathd is not running (no socket)";
    return std::nullopt;
  };
  MultipathState st = ReadMultipath(root.path().string(), io);
  REQUIRE(st.maps.size() == 1);
  CHECK_FALSE(st.maps[0].dm_read);
  CHECK(st.maps[0].paths.size() == 2);
  CHECK(st.maps[0].ActivePaths() == 0);
  CHECK(st.dm_error == "device mapper: not readable (needs root)");
  CHECK_FALSE(st.multipathd);
  CHECK(st.multipathd_error == "multipathd is not running (no socket)");
}

TEST_CASE("multipathd JSON: not multipathd's is refused") {
  MultipathState st;
  std::string error;
  CHECK_FALSE(MergeMultipathdJson("fail\n", st, error));
  CHECK_FALSE(MergeMultipathdJson(R"({"maps": 3})", st, error));
  CHECK(MergeMultipathdJson(R"({"maps": [{"sysfs": "dm-9", "path_groups": 1}, 7]})", st, error));
}

}  // namespace iscsictl
