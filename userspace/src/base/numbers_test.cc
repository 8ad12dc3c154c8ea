#include "base/numbers.h"

#include <doctest/doctest.h>

using namespace iscsictl;

TEST_CASE("ParseLong") {
  CHECK(ParseLong("42") == 42);
  CHECK(ParseLong("-1") == -1);
  CHECK_FALSE(ParseLong("").has_value());
  CHECK_FALSE(ParseLong("12x").has_value());
}

TEST_CASE("NumberAfter: N of <prefix>N, -1 for anything else") {
  CHECK(NumberAfter("session3", "session") == 3);
  CHECK(NumberAfter("host12", "host") == 12);
  CHECK(NumberAfter("host", "host") == -1);
  CHECK(NumberAfter("host-1", "host") == -1);
  CHECK(NumberAfter("hostx", "host") == -1);
  CHECK(NumberAfter("session3", "host") == -1);
  CHECK(NumberAfter("host99999999999", "host") == -1);
}
