#include "daemon/daemon_logic.h"

#include <doctest/doctest.h>
#include <linux/rtnetlink.h>

namespace iscsictl {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

TEST_CASE("debounce: quiet time after the last event, capped after the first") {
  Debouncer d(milliseconds(300), milliseconds(2000));
  Clock::time_point t0{};
  CHECK_FALSE(d.Pending());
  CHECK_FALSE(d.Deadline().has_value());
  d.Event(t0);
  CHECK(*d.Deadline() == t0 + milliseconds(300));
  CHECK_FALSE(d.Due(t0 + milliseconds(299)));
  CHECK(d.Due(t0 + milliseconds(300)));
  d.Event(t0 + milliseconds(200));  // the burst goes on: quiet time restarts
  CHECK(*d.Deadline() == t0 + milliseconds(500));
  for (int i = 1; i <= 20; ++i) {
    d.Event(t0 + milliseconds(200 * i));  // an event every 200 ms: never quiet
  }
  CHECK(*d.Deadline() == t0 + milliseconds(2000));  // the cap
  d.Clear();
  CHECK_FALSE(d.Pending());
  CHECK_FALSE(d.Due(t0 + seconds(100)));
}

TEST_CASE("backoff: 2 s doubling to 60 s, reset after success") {
  Backoff b(seconds(2), seconds(60));
  std::vector<long> got;
  for (int i = 0; i < 8; ++i) got.push_back(static_cast<long>(b.Next().count()));
  CHECK(got == std::vector<long>{2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000});
  b.Reset();
  CHECK(b.Next() == seconds(2));
}

TEST_CASE("new addresses: a NIC's first address is news, a flap's re-added one is not") {
  NewAddresses a;
  CHECK(a.Event(EventKind::kAddrAdd, "ve3", "10.33.0.103/24"));
  CHECK(a.Event(EventKind::kAddrAdd, "ve3", "fe80::1/64"));
  CHECK_FALSE(a.Event(EventKind::kLinkChange, "ve3", ""));
  CHECK_FALSE(a.Event(EventKind::kAddrDel, "ve3", "fe80::1/64"));
  CHECK_FALSE(a.Event(EventKind::kAddrAdd, "ve3", "fe80::1/64"));  // the flap's re-add
  CHECK(a.Event(EventKind::kAddrAdd, "ve4", "10.33.0.103/24"));
  CHECK_FALSE(a.Event(EventKind::kLinkDel, "ve3", ""));
  CHECK(a.Event(EventKind::kAddrAdd, "ve3", "10.33.0.103/24"));  // unplugged and back
}

TEST_CASE("event classification") {
  CHECK(ClassifyUevent("net", "add") == EventKind::kNetAdd);
  CHECK(ClassifyUevent("net", "remove") == EventKind::kNetRemove);
  CHECK(ClassifyUevent("net", "move") == EventKind::kNetMove);
  CHECK(ClassifyUevent("net", "bind") == EventKind::kIgnore);
  CHECK(ClassifyUevent("iscsi_session", "add") == EventKind::kIscsiAdd);
  CHECK(ClassifyUevent("iscsi_connection", "change") == EventKind::kIscsiChange);
  CHECK(ClassifyUevent("iscsi_host", "remove") == EventKind::kIscsiRemove);
  CHECK(ClassifyUevent("block", "add") == EventKind::kIgnore);
  CHECK(ClassifyRtnl(RTM_NEWLINK) == EventKind::kLinkChange);
  CHECK(ClassifyRtnl(RTM_DELLINK) == EventKind::kLinkDel);
  CHECK(ClassifyRtnl(RTM_NEWADDR) == EventKind::kAddrAdd);
  CHECK(ClassifyRtnl(RTM_DELADDR) == EventKind::kAddrDel);
  CHECK(ClassifyRtnl(RTM_NEWROUTE) == EventKind::kIgnore);
  // A rename changes nothing; everything else may.
  CHECK_FALSE(TriggersReconcile(EventKind::kNetMove));
  CHECK_FALSE(TriggersReconcile(EventKind::kIgnore));
  CHECK(TriggersReconcile(EventKind::kNetAdd));
  CHECK(TriggersReconcile(EventKind::kAddrAdd));
  CHECK(TriggersReconcile(EventKind::kIscsiChange));
  CHECK(EventName(EventKind::kNetAdd) == "net-add");
}

TEST_CASE("log records are one line, quoted where needed") {
  CHECK(LogValue("ens5") == "ens5");
  CHECK(LogValue("") == "\"\"");
  CHECK(LogValue("no address yet") == "\"no address yet\"");
  CHECK(LogValue("a\"b\\c") == "\"a\\\"b\\\\c\"");
  CHECK(LogValue("x=y") == "\"x=y\"");
  CHECK(LogValue("two\nlines") == "\"two lines\"");
  CHECK(LogRecord({{"event", "net-add"}, {"nic", "ens5"}, {"reason", "new NIC"}}) ==
        "event=net-add nic=ens5 reason=\"new NIC\"");
}

TEST_CASE("sd_notify message and socket address") {
  CHECK(NotifyMessage("READY=1") == "READY=1");
  CHECK(NotifyMessage("RELOADING=1", "re\nload") == "RELOADING=1\nSTATUS=re load");
  auto path = ParseNotifySocket("/run/systemd/notify");
  REQUIRE(path);
  CHECK_FALSE(path->abstract);
  CHECK(path->path == "/run/systemd/notify");
  auto abs = ParseNotifySocket("@/org/freedesktop/systemd1/notify/123");
  REQUIRE(abs);
  CHECK(abs->abstract);
  CHECK(abs->path == std::string(1, '\0') + "/org/freedesktop/systemd1/notify/123");
  CHECK_FALSE(ParseNotifySocket(""));
  CHECK_FALSE(ParseNotifySocket("@"));
  CHECK_FALSE(ParseNotifySocket("relative/path"));
  CHECK_FALSE(ParseNotifySocket("/" + std::string(200, 'x')));
}

TEST_CASE("config watch: the file's own name only") {
  const std::string conf = "/etc/iscsictl/iscsictl.json";
  CHECK(ConfigDir(conf) == "/etc/iscsictl");
  CHECK(ConfigDir("iscsictl.json") == ".");
  CHECK(ConfigDir("/iscsictl.json") == "/");
  CHECK(IsConfigName("iscsictl.json", conf));
  CHECK(IsConfigName("iscsictl.json", "iscsictl.json"));
  CHECK_FALSE(IsConfigName("iscsictl.json.tmp", conf));  // the temporary of a rename
  CHECK_FALSE(IsConfigName(".iscsictl.json.swp", conf));
  CHECK_FALSE(IsConfigName("iscsictl.json~", conf));
  CHECK_FALSE(IsConfigName("4913", conf));  // vim's probe file
  CHECK_FALSE(IsConfigName("other.json", conf));
  CHECK_FALSE(IsConfigName("", "/etc/iscsictl/"));
}

}  // namespace
}  // namespace iscsictl
