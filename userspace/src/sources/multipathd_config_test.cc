#include "sources/multipathd_config.h"

#include <doctest/doctest.h>

using namespace iscsictl;

namespace {

// Shaped as multipath-tools 0.9's `show config` (cut short).
const char* const kShowConfig = R"(defaults {
	verbosity 2
	polling_interval 2
	path_checker "tur"
	fast_io_fail_tmo 5
	user_friendly_names "yes"
}
blacklist {
	devnode "^(ram|loop|fd|md|sr|scd|st|vd)[0-9]*"
	device {
		vendor "SGI"
		product "Universal Xport"
	}
}
blacklist_exceptions {
}
devices {
	device {
		vendor "LIO-ORG"
		product ".*"
		path_grouping_policy "group_by_prio"
		hardware_handler "1 alua"
		no_path_retry 12
	}
	device {
		vendor "LIO-ORG"
		product ".*"
		hardware_handler "0"
	}
}
overrides {
	no_path_retry "fail"
	protocol {
		type "scsi:iscsi"
		fast_io_fail_tmo 9
	}
	protocol {
		type "scsi:fcp"
		fast_io_fail_tmo 10
	}
}
multipaths {
}
)";

}  // namespace

TEST_CASE("multipathd show config: defaults, devices and overrides") {
  MultipathdConfig c;
  std::string error;
  REQUIRE(ParseMultipathdConfig(kShowConfig, c, error));
  CHECK(c.defaults.at("fast_io_fail_tmo") == "5");
  CHECK(c.defaults.at("path_checker") == "tur");
  CHECK(c.defaults.at("user_friendly_names") == "yes");
  REQUIRE(c.devices.size() == 2);  // blacklist's device is not one
  CHECK(c.devices[0].vendor == "LIO-ORG");
  CHECK(c.devices[0].product == ".*");
  CHECK(c.devices[0].attrs.at("hardware_handler") == "1 alua");
  CHECK(c.devices[0].attrs.count("vendor") == 0);
  CHECK(c.devices[1].attrs.at("hardware_handler") == "0");
  CHECK(c.overrides.at("no_path_retry") == "fail");
  CHECK(c.overrides.count("fast_io_fail_tmo") == 0);  // inside protocol { }
  CHECK(c.overrides.count("type") == 0);
  CHECK(c.overrides_iscsi == std::map<std::string, std::string>{{"fast_io_fail_tmo", "9"}});
}

TEST_CASE("multipathd show config: unbalanced text is refused") {
  MultipathdConfig c;
  std::string error;
  CHECK_FALSE(ParseMultipathdConfig("defaults {\n\tverbosity 2\n", c, error));
  CHECK(error == "multipathd show config: section defaults not closed");
  CHECK_FALSE(ParseMultipathdConfig("}\n", c, error));
}

TEST_CASE("multipathd facts through the client: down, answering, unreadable") {
  MultipathIo io;
  io.multipathd = [](const std::string&, std::string& error) -> std::optional<std::string> {
    error = "multipathd is not running (no socket)";
    return std::nullopt;
  };
  MultipathdFacts f = ReadMultipathdFacts(io);
  CHECK_FALSE(f.running);
  CHECK(f.error == "multipathd is not running (no socket)");
  std::string asked;
  io.multipathd = [&](const std::string& command, std::string&) -> std::optional<std::string> {
    asked = command;
    return std::string(kShowConfig);
  };
  f = ReadMultipathdFacts(io);
  CHECK(asked == "show config");
  CHECK(f.running);
  REQUIRE(f.config);
  CHECK(f.config->devices.size() == 2);
  io.multipathd = [](const std::string&, std::string& error) -> std::optional<std::string> {
    error = "multipathd: no answer";
    return std::nullopt;
  };
  f = ReadMultipathdFacts(io);
  CHECK(f.running);
  CHECK_FALSE(f.config);
  CHECK_FALSE(ReadMultipathdFacts(MultipathIo{}).running);
}
