#include "sources/dm_mpath_text.h"

#include <doctest/doctest.h>

namespace iscsictl {

// Recorded in the lab (Debian 6.1, multipathd 0.9.4, LIO, two iSCSI sessions, multibus).
constexpr char kTable[] = "1 queue_if_no_path 0 1 1 service-time 0 2 2 8:0 1 1 8:16 1 1 ";
constexpr char kStatusBoth[] = "2 0 0 0 1 1 A 0 2 2 8:0 A 0 0 1 8:16 A 0 0 1 ";
constexpr char kStatusOneFailed[] = "2 0 0 0 1 1 A 0 2 2 8:0 F 1 0 1 8:16 A 0 0 1 ";

TEST_CASE("dm multipath table and status: groups, paths, states") {
  MpathMap map;
  std::string error;
  REQUIRE(ParseMpathTable(kTable, map, error));
  CHECK(map.features == "1 queue_if_no_path");
  CHECK(map.hwhandler == "0");
  REQUIRE(map.groups.size() == 1);
  CHECK(map.groups[0].selector == "service-time 0");
  REQUIRE(map.paths.size() == 2);
  CHECK(map.paths[1].devt == "8:16");
  CHECK(map.paths[1].group == 1);
  CHECK(map.paths[0].dm_state.empty());

  REQUIRE(ParseMpathStatus(kStatusBoth, map, error));
  CHECK(map.ActivePaths() == 2);
  CHECK(map.groups[0].state == "active");

  REQUIRE(ParseMpathStatus(kStatusOneFailed, map, error));
  CHECK(map.ActivePaths() == 1);
  CHECK(map.paths[0].dm_state == "failed");
  CHECK(map.paths[0].fail_count == 1);
  CHECK(map.paths[1].dm_state == "active");
}

TEST_CASE("dm multipath status: two groups, per-path selector args, a disabled group") {
  MpathMap map;
  std::string error;
  REQUIRE(ParseMpathTable("0 1 alua 2 1 round-robin 0 1 1 8:0 1000 round-robin 0 1 1 8:16 1000",
                          map, error));
  CHECK(map.hwhandler == "1 alua");
  REQUIRE(ParseMpathStatus("2 0 0 0 2 1 A 0 1 0 8:0 A 0 D 0 1 0 8:16 F 3", map, error));
  REQUIRE(map.groups.size() == 2);
  CHECK(map.groups[1].state == "disabled");
  CHECK(map.paths[1].group == 2);
  CHECK(map.paths[1].dm_state == "failed");
  CHECK(map.paths[1].fail_count == 3);
}

TEST_CASE("dm multipath text: malformed input is refused with the place") {
  MpathMap map;
  std::string error;
  CHECK_FALSE(ParseMpathStatus("2 0 0 0 1 1 A 0 2 2 8:0 A 0 0 1", map, error));
  CHECK(error.find("ends early") != std::string::npos);
  CHECK_FALSE(ParseMpathStatus("2 0 0 0 1 1 X 0 1 0 8:0 A 0", map, error));
  CHECK(error.find("group state 'X'") != std::string::npos);
  CHECK_FALSE(ParseMpathStatus("2 0 0 0 1 1 A 0 1 0 8:0 Q 0", map, error));
  CHECK(error.find("path state 'Q'") != std::string::npos);
  CHECK_FALSE(ParseMpathTable("0 0 1 1 service-time 0 1 1 sda 1", map, error));
  CHECK(error.find("'sda' is not maj:min") != std::string::npos);
  CHECK_FALSE(ParseMpathTable("0 0 99999999999 1", map, error));
  CHECK_FALSE(ParseMpathTable("0 0 0 0 extra", map, error));
  CHECK(error.find("trailing 'extra'") != std::string::npos);
  CHECK_FALSE(ParseMpathTable("", map, error));
}

}  // namespace iscsictl
