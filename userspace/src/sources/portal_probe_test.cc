#include "sources/portal_probe.h"

#include <doctest/doctest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>

#include "base/fd.h"

using namespace iscsictl;

namespace {

// A listening TCP socket on 127.0.0.1 and its port.
Fd Listen(int& port) {
  Fd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  REQUIRE(::bind(fd.get(), reinterpret_cast<sockaddr*>(&a), len) == 0);
  REQUIRE(::listen(fd.get(), 4) == 0);
  REQUIRE(::getsockname(fd.get(), reinterpret_cast<sockaddr*>(&a), &len) == 0);
  port = ntohs(a.sin_port);
  return fd;
}

}  // namespace

TEST_CASE("portal probe: a connect through lo, a refused one, a missing source") {
  int open_port = 0;
  Fd listening = Listen(open_port);
  int closed_port = 0;
  { Fd gone = Listen(closed_port); }  // closed again: nobody listens there
  std::vector<PortalProbe> probes(3);
  probes[0] = {"lo", "127.0.0.1", "127.0.0.1", open_port, false, ""};
  probes[1] = {"lo", "127.0.0.1", "127.0.0.1", closed_port, false, ""};
  probes[2] = {"lo", "", "127.0.0.1", open_port, false, ""};
  auto t0 = std::chrono::steady_clock::now();
  ProbePortals(probes, 3000);
  CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(2));
  if (probes[0].error.starts_with("bind to the NIC")) {
    MESSAGE("SO_BINDTODEVICE needs CAP_NET_RAW here: " << probes[0].error);
    return;
  }
  CHECK(probes[0].ok);
  CHECK(probes[0].error == "");
  CHECK_FALSE(probes[1].ok);
  CHECK(probes[1].error == "Connection refused");
  CHECK_FALSE(probes[2].ok);
  CHECK(probes[2].error == "");
}

TEST_CASE("portal probe: the timeout bounds a portal that never answers") {
  // 192.0.2.1 (TEST-NET-1) through lo: nothing answers, nothing refuses.
  std::vector<PortalProbe> probes{{"lo", "127.0.0.1", "192.0.2.1", 3260, false, ""},
                                  {"lo", "127.0.0.1", "192.0.2.2", 3260, false, ""}};
  auto t0 = std::chrono::steady_clock::now();
  ProbePortals(probes, 300);
  auto took = std::chrono::steady_clock::now() - t0;
  CHECK(took < std::chrono::seconds(2));  // both together, not one after the other
  for (const PortalProbe& p : probes) {
    CHECK_FALSE(p.ok);
    CHECK(!p.error.empty());
  }
  if (!probes[0].error.starts_with("bind to the NIC") &&
      probes[0].error != "Network is unreachable" && probes[0].error != "Invalid argument") {
    CHECK(probes[0].error == "no answer within 0.3 s");
  }
}
