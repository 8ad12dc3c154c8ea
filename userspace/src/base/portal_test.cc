#include "base/portal.h"

#include <doctest/doctest.h>

using namespace iscsictl;

TEST_CASE("portals: IPv6 bracketed, everything else as is") {
  CHECK(FormatPortal("10.0.0.1", 3260) == "10.0.0.1:3260");
  CHECK(FormatPortal("fd00:33::10", 3261) == "[fd00:33::10]:3261");
  CHECK(FormatPortal("fe80::1%ve0", 3260) == "[fe80::1%ve0]:3260");
  CHECK(FormatPortal("array.example", 3260) == "array.example:3260");
}

TEST_CASE("portals: parsed with or without port and brackets") {
  struct Case {
    const char* text;
    bool ok;
    const char* address;
    std::optional<int> port;
  };
  const Case cases[] = {
      {"10.0.0.1", true, "10.0.0.1", std::nullopt},
      {"10.0.0.1:3261", true, "10.0.0.1", 3261},
      {"[fd00:33::10]:3260", true, "fd00:33::10", 3260},
      {"[fd00:33::10]", true, "fd00:33::10", std::nullopt},
      {"fd00:33::10", true, "fd00:33::10", std::nullopt},
      {"array.example:3260", true, "array.example", 3260},
      {"10.0.0.1:99999", false, "", std::nullopt},
      {"10.0.0.1:0", false, "", std::nullopt},
      {"10.0.0.1:", false, "", std::nullopt},
      {"[fd00::1]3260", false, "", std::nullopt},
      {"[fd00::1", false, "", std::nullopt},
      {"not a host", false, "", std::nullopt},
  };
  for (const Case& c : cases) {
    CAPTURE(c.text);
    std::string address;
    std::optional<int> port;
    bool ok = ParsePortal(c.text, address, port);
    CHECK(ok == c.ok);
    if (c.ok) {
      CHECK(address == c.address);
      CHECK(port == c.port);
    }
  }
  // What FormatPortal writes, ParsePortal reads back.
  std::string address;
  std::optional<int> port;
  REQUIRE(ParsePortal(FormatPortal("fd00:33::10", 3260), address, port));
  CHECK(address == "fd00:33::10");
  CHECK(port == 3260);
}
