#include "config/config_resolve.h"

#include <doctest/doctest.h>

#include "config/config_load.h"
#include "model/params.h"
#include "testing/test_util.h"

using namespace iscsictl;

namespace {

std::vector<DesiredSession> Resolve(const std::string& text) {
  LoadedConfig loaded = ParseConfigText(text, "t.json");
  for (const ConfigError& e : loaded.errors) {
    FAIL_CHECK(e.ToString());
  }
  return loaded.sessions;
}

}  // namespace

TEST_CASE("the request's example resolves to two sessions, one per MAC") {
  LoadedConfig loaded = LoadConfigFile(testing::SourcePath("json-schema/examples/equallogic.json"));
  REQUIRE(loaded.ok());
  const auto& s = loaded.sessions;
  REQUIRE(s.size() == 2);
  CHECK(s[0].iface.kind == Iface::Kind::kMac);
  CHECK(s[0].iface.value == "00:0e:0c:c2:c1:63");
  CHECK(s[1].iface.value == "00:0e:0c:c2:c3:bb");
  CHECK(s[0].target == "iqn.2001-05.com.equallogic:6-8a0900-fdf687001-3e3000035b045ecb-test");
  CHECK(*s[0].tpgt == 1);
  // node.session[0].conn[0].port = 3261 overrides node.conn.port = 3260 for session 0 only.
  REQUIRE(s[0].conns.size() == 1);
  CHECK(*s[0].conns[0].port == 3261);
  CHECK(*s[1].conns[0].port == 3260);
  CHECK(*s[0].conns[0].address == "10.33.0.10");
  CHECK(*s[1].conns[0].max_recv_data_segment_length == 65536);
  CHECK(*s[1].conns[0].noop_out_interval == 0);
  CHECK(*s[0].params.abort_timeout == 10);
  CHECK(*s[0].params.host_reset_timeout == 30);  // reset_timeout, the 2007 name
  CHECK(*s[0].params.lu_reset_timeout == 30);    // built-in default
  CHECK(*s[0].params.default_time2wait == 0);
  CHECK(*s[0].params.initial_r2t == false);
  for (const DesiredSession& d : s) {
    CHECK(IsComplete(d.params));
    CHECK(IsComplete(d.conns[0]));
  }
  CHECK(s[0].Key() ==
        "iqn.2001-05.com.equallogic:6-8a0900-fdf687001-3e3000035b045ecb-test,10.33.0.10,3261,"
        "mac=00:0e:0c:c2:c1:63");
}

TEST_CASE("layers: built-in < file < target < session < connection") {
  struct Case {
    const char* what;
    std::string text;
    int64_t first_burst;
    int64_t port;
    int64_t window;
  };
  const std::string t = R"("name": "iqn.2001-05.com.x", "portal": {"address": "10.0.0.1"})";
  const Case cases[] = {
      {"built-in", R"({"targets": [{)" + t + "}]}", 262144, 3260, 524288},
      {"file",
       R"({"session_defaults": {"iscsi": {"FirstBurstLength": 1024}}, "conn_defaults": {"port": 3000, "tcp": {"window_size": 65536}}, "targets": [{)" +
           t + "}]}",
       1024, 3000, 65536},
      {"target over file",
       R"({"session_defaults": {"iscsi": {"FirstBurstLength": 1024}}, "targets": [{)" + t +
           R"(, "session_defaults": {"iscsi": {"FirstBurstLength": 2048}}, "conn_defaults": {"tcp": {"window_size": 4096}}}]})",
       2048, 3260, 4096},
      {"portal port over file conn_defaults",
       R"({"conn_defaults": {"port": 3000}, "targets": [{"name": "iqn.2001-05.com.x", "portal": {"address": "10.0.0.1", "port": 3262}}]})",
       262144, 3262, 524288},
      {"session and connection",
       R"({"session_defaults": {"iscsi": {"FirstBurstLength": 1024}}, "targets": [{)" + t +
           R"(, "sessions": [{"iface": "eth0", "iscsi": {"FirstBurstLength": 4096}, "conn_defaults": {"tcp": {"window_size": 8192}}, "conns": [{"port": 3263}]}]}]})",
       4096, 3263, 8192},
  };
  for (const Case& c : cases) {
    CAPTURE(c.what);
    auto sessions = Resolve(c.text);
    REQUIRE(sessions.size() == 1);
    CHECK(*sessions[0].params.first_burst_length == c.first_burst);
    CHECK(*sessions[0].conns[0].port == c.port);
    CHECK(*sessions[0].conns[0].window_size == c.window);
  }
}

TEST_CASE("a target without sessions is one session over the default route") {
  auto s =
      Resolve(R"({"targets": [{"name": "iqn.2001-05.com.x", "portal": {"address": "10.0.0.1"}}]})");
  REQUIRE(s.size() == 1);
  CHECK(s[0].iface.kind == Iface::Kind::kDefault);
  CHECK(s[0].pointer == "/targets/0");
  CHECK(s[0].transport == "tcp");
  CHECK(s[0].startup == "manual");
  CHECK_FALSE(s[0].tpgt);
}

TEST_CASE("several connections per session") {
  auto s = Resolve(R"({"targets": [{"name": "iqn.2001-05.com.x", "portal": {"address": "10.0.0.1"},
      "active_conn": 2, "session_defaults": {"iscsi": {"MaxConnections": 4}},
      "sessions": [{"iface": "eth0", "conns": [{}, {"address": "10.0.0.2", "port": 3261}]}]}]})");
  REQUIRE(s.size() == 1);
  REQUIRE(s[0].conns.size() == 2);
  CHECK(*s[0].conns[0].address == "10.0.0.1");
  CHECK(*s[0].conns[1].address == "10.0.0.2");
  CHECK(*s[0].conns[1].port == 3261);
}

TEST_CASE("CHAP parameters and secret references") {
  auto s = Resolve(R"({"session_defaults": {"auth": {"authmethod": "CHAP", "username": "u",
      "password_file": "/etc/iscsictl/secrets/a"}},
      "targets": [{"name": "iqn.2001-05.com.x", "portal": {"address": "10.0.0.1"},
      "sessions": [{"iface": "eth0"}, {"iface": "eth1", "auth": {"password": "inline-secret",
      "username_in": "t", "password_in_file": "/etc/iscsictl/secrets/b"}}]}]})");
  REQUIRE(s.size() == 2);
  CHECK(s[0].params.password->file == "/etc/iscsictl/secrets/a");
  CHECK(s[1].params.password->value == "inline-secret");
  CHECK(s[1].params.password->file.empty());
  CHECK(s[1].params.password_in->file == "/etc/iscsictl/secrets/b");
  LoadedConfig loaded = ParseConfigText(R"({"session_defaults": {"auth": {"authmethod": "CHAP",
      "username": "u", "password_file": "/s/a"}}, "targets": [{"name": "iqn.2001-05.com.x",
      "portal": {"address": "10.0.0.1"}, "sessions": [{"iface": "eth0", "auth":
      {"password_in_file": "/s/b", "username_in": "t"}}]}]})",
                                        "t.json");
  REQUIRE(loaded.ok());
  auto refs = SecretFiles(loaded.config);
  REQUIRE(refs.size() == 2);
  CHECK(refs[0].pointer == "/session_defaults/auth/password_file");
  CHECK(refs[1].pointer == "/targets/0/sessions/0/auth/password_in_file");
  CHECK(refs[1].path == "/s/b");
}
