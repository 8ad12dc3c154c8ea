#include "sources/udev_reader.h"

#include <doctest/doctest.h>

using namespace iscsictl;

// libudev reads only the live system; where both readers see the same sessions (the
// lab compares them on real sessions in tests/e2e/05-status.sh), they must agree.
TEST_CASE("libudev and sysfs readers agree on this machine") {
  LiveState u = MakeUdevReader()->Read();
  LiveState s = MakeSysfsReader("/")->Read();
  REQUIRE(u.sessions.size() == s.sessions.size());
  CHECK(u.hosts.size() == s.hosts.size());
  CHECK(u.module_loaded == s.module_loaded);
  for (size_t i = 0; i < u.sessions.size(); ++i) {
    CHECK(u.sessions[i].sid == s.sessions[i].sid);
    CHECK(u.sessions[i].targetname == s.sessions[i].targetname);
    CHECK(u.sessions[i].connections.size() == s.sessions[i].connections.size());
    CHECK(u.sessions[i].disks.size() == s.sessions[i].disks.size());
  }
}
