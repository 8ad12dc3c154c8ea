#include "plan/doctor_multipathd.h"

#include <doctest/doctest.h>

#include <map>
#include <string>

using namespace iscsictl;

namespace {

const char* const kIqn = "iqn.2026-11.lab.target:doctor";

// A device section: its vendor and product, and other keys.
MultipathdSection Dev(const std::string& vendor, const std::string& product,
                      std::map<std::string, std::string> keys) {
  keys["vendor"] = vendor;
  keys["product"] = product;
  return {std::move(keys)};
}

// The built-in LIO-ORG entry, then a local one (as `show config` lists them).
MultipathdSettings LabConfig() {
  MultipathdSettings c;
  c.defaults.keys = {{"fast_io_fail_tmo", "5"}, {"polling_interval", "2"}};
  c.devices.push_back(Dev("APPLE", "Xserve RAID", {{"hardware_handler", "0"}}));
  c.devices.push_back(Dev("LIO-ORG", ".*", {{"hardware_handler", "1 alua"}}));
  c.devices.push_back(Dev("LIO-ORG", ".*", {{"hardware_handler", "0"}, {"no_path_retry", "12"}}));
  return c;
}

MultipathdFacts Running(MultipathdSettings c) {
  MultipathdFacts f;
  f.running = true;
  f.config = std::move(c);
  return f;
}

MpathTargetFacts Target(int64_t replacement_timeout, std::vector<ScsiIdentity> devices = {}) {
  return {kIqn, 2, {replacement_timeout}, std::move(devices)};
}

const ScsiIdentity kLio{"LIO-ORG", "doctor-lun0"};

}  // namespace

TEST_CASE("multipathd settings: overrides, then the last matching device, then defaults") {
  MultipathdSettings c = LabConfig();
  std::string where;
  CHECK(MultipathdSetting(c, "LIO-ORG", "x", "hardware_handler", &where) == "0");
  CHECK(where == "device \"LIO-ORG\" \".*\"");
  CHECK(MultipathdSetting(c, "LIO-ORG", "x", "fast_io_fail_tmo", &where) == "5");
  CHECK(where == "defaults");
  CHECK(MultipathdSetting(c, "APPLE", "Xserve RAID", "no_path_retry") == std::nullopt);
  // no device known: devices do not count
  CHECK(MultipathdSetting(c, "", "", "hardware_handler") == std::nullopt);
  // the vendor is a regular expression, searched (not anchored)
  c.devices.push_back(Dev("^LIO", "^doctor", {{"fast_io_fail_tmo", "7"}}));
  CHECK(MultipathdSetting(c, "LIO-ORG", "doctor-lun0", "fast_io_fail_tmo", &where) == "7");
  CHECK(MultipathdSetting(c, "LIO-ORG", "other", "fast_io_fail_tmo") == "5");
  CHECK(MultipathdSetting(c, "XLIO-ORG", "doctor-lun0", "fast_io_fail_tmo") == "5");
  c.overrides.keys["fast_io_fail_tmo"] = "off";
  CHECK(MultipathdSetting(c, "LIO-ORG", "doctor-lun0", "fast_io_fail_tmo", &where) == "off");
  CHECK(where == "overrides");
  // a bad expression matches nothing
  c.devices.push_back(Dev("(", "", {{"hardware_handler", "2"}}));
  CHECK(MultipathdSetting(c, "LIO-ORG", "x", "hardware_handler") == "0");
}

TEST_CASE("multipathd: not running while a target has several paths") {
  MultipathdFacts down;
  down.error = "multipathd is not running (no socket)";
  std::vector<DoctorFinding> f = CheckMultipathd(down, {Target(5)}, "c.json");
  REQUIRE(f.size() == 1);
  CHECK(f[0].check == "multipathd");
  CHECK(f[0].what == std::string("multipathd is not running (no socket): ") + kIqn +
                         " has 2 paths and nothing joins them into one device");
  CHECK(f[0].fix[0].starts_with("systemctl enable --now multipathd"));
  // a single path needs no multipathd
  MpathTargetFacts single = Target(5);
  single.sessions = 1;
  CHECK(CheckMultipathd(down, {single}, "c.json").empty());
  CHECK(CheckMultipathd(down, {}, "c.json").empty());
}

TEST_CASE("multipathd: fast_io_fail_tmo against the config's replacement_timeout") {
  CHECK(CheckMultipathd(Running(LabConfig()), {Target(5)}, "c.json").empty());
  CHECK(CheckMultipathd(Running(LabConfig()), {Target(5, {kLio})}, "c.json").empty());
  std::vector<DoctorFinding> f = CheckMultipathd(Running(LabConfig()), {Target(120)}, "c.json");
  REQUIRE(f.size() == 1);
  CHECK(f[0].what == std::string("fast_io_fail_tmo 5 (defaults) for its devices of ") + kIqn +
                         ": multipathd writes it into the sessions' recovery_tmo, the config's "
                         "replacement_timeout is 120");
  REQUIRE(f[0].fix.size() == 3);
  CHECK(f[0].fix[0] == "in c.json: \"session_defaults\": {\"timeo\": {\"replacement_timeout\": 5}} "
                       "(of the file or of iqn.2026-11.lab.target:doctor)");
  CHECK(f[0].fix[2] == "  defaults { fast_io_fail_tmo 120 }");
  // with the device known, the drop-in is its device section
  f = CheckMultipathd(Running(LabConfig()), {Target(120, {kLio})}, "c.json");
  REQUIRE(f.size() == 1);
  CHECK(f[0].what.find("for LIO-ORG devices of") != std::string::npos);
  CHECK(f[0].fix[2] ==
        "  devices { device { vendor \"LIO-ORG\" product \".*\" fast_io_fail_tmo 120 } }");
  // "off": multipathd leaves recovery_tmo alone
  MultipathdSettings off = LabConfig();
  off.defaults.keys["fast_io_fail_tmo"] = "off";
  CHECK(CheckMultipathd(Running(off), {Target(120, {kLio})}, "c.json").empty());
}

TEST_CASE("multipathd: LIO-ORG devices need hardware_handler \"0\"") {
  MultipathdSettings builtin = LabConfig();
  builtin.devices.pop_back();  // only the built-in "1 alua" entry
  std::vector<DoctorFinding> f = CheckMultipathd(Running(builtin), {Target(5, {kLio})}, "c.json");
  REQUIRE(f.size() == 1);
  CHECK(f[0].what == std::string("hardware_handler \"1 alua\" (device \"LIO-ORG\" \".*\") for "
                                 "LIO-ORG devices of ") + kIqn +
                         ": dm cannot attach the handler to LIO's LUNs and builds no map");
  CHECK(f[0].fix[1] ==
        "  devices { device { vendor \"LIO-ORG\" product \".*\" hardware_handler \"0\" } }");
  // no LIO-ORG disk known: not judged
  CHECK(CheckMultipathd(Running(builtin), {Target(5)}, "c.json").empty());
  CHECK(CheckMultipathd(Running(builtin), {Target(5, {{"DGC", "VRAID"}})}, "c.json").empty());
}

TEST_CASE("multipathd: running, settings unreadable") {
  MultipathdFacts f;
  f.running = true;
  f.error = "multipathd show config: unbalanced '}'";
  std::vector<DoctorFinding> found = CheckMultipathd(f, {Target(5)}, "c.json");
  REQUIRE(found.size() == 1);
  CHECK(found[0].what.find("unbalanced") != std::string::npos);
}
