#include "base/version.h"

#include <doctest/doctest.h>

TEST_CASE("version is not empty") {
  CHECK(!iscsictl::Version().empty());
}
