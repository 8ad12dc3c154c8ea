#include "sources/multipathd_config.h"

#include <doctest/doctest.h>

namespace iscsictl {
namespace {

// multipathd 0.9.4's `show config local` in the lab, trimmed (tabs as it prints them).
constexpr char kShowConfig[] = R"cfg(defaults {
	verbosity 2
	polling_interval 2
	fast_io_fail_tmo 5
	dev_loss_tmo 600
	no_path_retry "fail"
	find_multipaths "greedy"
	user_friendly_names "yes"
}
blacklist {
	devnode "!^(sd[a-z]|dasd[a-z]|nvme[0-9])"
	device {
		vendor "COMPELNT"
		product "Compellent Vol"
	}
}
blacklist_exceptions {
	property "(SCSI_IDENT_|ID_WWN)"
}
devices {
	device {
		vendor "LIO-ORG"
		product ".*"
		path_grouping_policy "multibus"
		hardware_handler "0"
		no_path_retry 12
	}
}
overrides {
	protocol {
		type "scsi:iscsi"
		fast_io_fail_tmo 7
	}
}
multipaths {
}
)cfg";

}  // namespace

TEST_CASE("multipathd config: defaults, devices and overrides of `show config`") {
  MultipathdSettings s;
  std::string error;
  REQUIRE(ParseMultipathdConfig(kShowConfig, s, error));
  CHECK(s.defaults.Get("fast_io_fail_tmo") == "5");
  CHECK(s.defaults.Get("no_path_retry") == "fail");  // quotes removed
  CHECK(s.defaults.Get("find_multipaths") == "greedy");
  REQUIRE(s.devices.size() == 1);  // blacklist's device entry is not one of them
  CHECK(s.devices[0].Get("vendor") == "LIO-ORG");
  CHECK(s.Effective(&s.devices[0], "no_path_retry") == "12");
  CHECK(s.Effective(&s.devices[0], "fast_io_fail_tmo") == "5");  // from defaults
  CHECK(s.Effective(nullptr, "dev_loss_tmo") == "600");
  CHECK(s.overrides.keys.empty());  // the protocol subsection is not read
  CHECK(s.Effective(nullptr, "polling_interval") == "2");
}

TEST_CASE("multipathd config: comments, quotes, braces on the line; overrides win") {
  MultipathdSettings s;
  std::string error;
  REQUIRE(
      ParseMultipathdConfig("# a comment\ndefaults{\n no_path_retry queue ! trailing\n"
                            " alias \"say \"\"hi\"\" # not a comment\"\n}\n"
                            "overrides {\n no_path_retry fail\n}\n",
                            s, error));
  CHECK(s.defaults.Get("no_path_retry") == "queue");
  CHECK(s.defaults.Get("alias") == "say \"hi\" # not a comment");
  CHECK(s.Effective(nullptr, "no_path_retry") == "fail");
}

TEST_CASE("multipathd config: malformed and oversized text refused, bounds kept") {
  MultipathdSettings s;
  std::string error;
  CHECK_FALSE(ParseMultipathdConfig("defaults {\n", s, error));
  CHECK(error == "section 'defaults' not closed");
  CHECK_FALSE(ParseMultipathdConfig("}\n", s, error));
  CHECK(error == "line 1: unbalanced '}'");
  CHECK_FALSE(ParseMultipathdConfig("defaults {\n a \"b\n}\n", s, error));
  CHECK(error == "line 2: unterminated quoted string");
  CHECK_FALSE(ParseMultipathdConfig("defaults {\n a { b\n}\n", s, error));
  CHECK_FALSE(ParseMultipathdConfig(std::string(kMaxMultipathdConfig + 1, ' '), s, error));
  std::string deep;
  for (size_t i = 0; i <= kMaxMultipathdDepth; ++i)
    deep += "x {\n";
  CHECK_FALSE(ParseMultipathdConfig(deep, s, error));
  CHECK(error.find("nested deeper") != std::string::npos);
  CHECK_FALSE(
      ParseMultipathdConfig("defaults {\n a " + std::string(2000, 'v') + "\n}\n", s, error));
  std::string many = "defaults {\n";
  for (size_t i = 0; i < kMaxMultipathdKeys + 10; ++i)
    many += "k" + std::to_string(i) + " 1\n";
  REQUIRE(ParseMultipathdConfig(many + "}\n", s, error));
  CHECK(s.defaults.keys.size() == kMaxMultipathdKeys);
  CHECK(s.devices.empty());
}

TEST_CASE("multipathd settings: `show config local`, else `show config`; not running: nullopt") {
  std::vector<std::string> asked;
  MultipathIo io;
  io.multipathd = [&](const std::string& cmd, std::string&) -> std::optional<std::string> {
    asked.push_back(cmd);
    return cmd == "show config local" ? std::string("fail\n") : std::string(kShowConfig);
  };
  std::string error;
  std::optional<MultipathdSettings> s = ReadMultipathdSettings(io, error);
  REQUIRE(s);
  CHECK(asked == std::vector<std::string>{"show config local", "show config"});
  CHECK(s->devices.size() == 1);
  io.multipathd = [](const std::string&, std::string& e) -> std::optional<std::string> {
    e = "multipathd is not running (no socket)";
    return std::nullopt;
  };
  CHECK_FALSE(ReadMultipathdSettings(io, error));
  CHECK(error == "multipathd is not running (no socket)");
}

}  // namespace iscsictl
