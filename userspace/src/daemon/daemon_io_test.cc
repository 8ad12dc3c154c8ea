// The daemon's small I/O pieces against the real kernel: the sd_notify datagram and the
// config watch (in-place write, write-temp-and-rename, other names).
#include <doctest/doctest.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "daemon/config_watch.h"
#include "daemon/sd_notify.h"
#include "testing/test_util.h"

namespace iscsictl {
namespace {

TEST_CASE("sd_notify sends one datagram to $NOTIFY_SOCKET") {
  testing::TempDir dir;
  std::string path = (dir.path() / "notify").string();
  Fd sock(socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  REQUIRE(sock.Valid());
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::strncpy(addr.sun_path, path.c_str(), sizeof addr.sun_path - 1);
  REQUIRE(bind(sock.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  setenv("NOTIFY_SOCKET", path.c_str(), 1);
  CHECK(SdNotify("READY=1", "watching"));
  char buf[256] = {};
  ssize_t n = recv(sock.get(), buf, sizeof buf - 1, MSG_DONTWAIT);
  CHECK(std::string(buf, n > 0 ? static_cast<size_t>(n) : 0) == "READY=1\nSTATUS=watching");
  setenv("NOTIFY_SOCKET", (dir.path() / "nobody").c_str(), 1);
  CHECK_FALSE(SdNotify("READY=1"));
  unsetenv("NOTIFY_SOCKET");
  CHECK(SdNotify("READY=1"));  // not under systemd: a no-op
}

TEST_CASE("config watch: in-place write and rename of the file, not other names") {
  testing::TempDir dir;
  std::string conf = dir.Write("iscsictl.json", "{}");
  std::string error;
  std::unique_ptr<ConfigWatch> w = ConfigWatch::Open(conf, error);
  REQUIRE_MESSAGE(w, error);
  CHECK_FALSE(w->Drain());
  dir.Write("other.json", "{}");
  CHECK_FALSE(w->Drain());
  { std::ofstream(conf) << "{\"version\": 1}"; }  // in place
  CHECK(w->Drain());
  std::string tmp = dir.Write("iscsictl.json.tmp", "{}");
  CHECK_FALSE(w->Drain());  // the temporary alone is not the config
  std::filesystem::rename(tmp, conf);
  CHECK(w->Drain());
  std::filesystem::remove(conf);
  CHECK(w->Drain());
  std::string e2;
  CHECK_FALSE(ConfigWatch::Open((dir.path() / "missing" / "x.json").string(), e2));
  CHECK(e2.find("inotify") != std::string::npos);
}

}  // namespace
}  // namespace iscsictl
