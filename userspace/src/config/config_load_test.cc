#include "config/config_load.h"

#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "cli/cli.h"
#include "config/config_json.h"
#include "testing/test_util.h"

using namespace iscsictl;
using iscsictl::testing::CliResult;
using iscsictl::testing::RunCliForTest;
using iscsictl::testing::SourcePath;
using iscsictl::testing::TempDir;

namespace {

// A target with two sessions, for cases to break.
std::string Target(const std::string& extra = "", const std::string& sessions =
                                                      R"([{"iface": "00:0E:0C:C2:C1:63"},
                                                         {"iface": "00:0E:0C:C2:C3:BB"}])") {
  return R"({"name": "iqn.2001-05.com.equallogic:test", "portal": {"address": "10.33.0.10"},
             "sessions": )" +
         sessions + extra + "}";
}

std::string Doc(const std::string& targets, const std::string& extra = "") {
  return R"({"targets": [)" + targets + "]" + extra + "}";
}

struct BadCase {
  const char* what;
  std::string text;
  std::string pointer;  // expected JSON pointer of the first error
  std::string message;  // substring of its message
  int line = 0;         // for syntax errors
  int column = 0;
};

std::vector<BadCase> BadCases() {
  return {
      {"syntax: trailing comma", "{\"targets\": [\n  {\"name\": \"iqn.2001-05.com.x\",}\n]}",
       "/targets/0/name", "syntax error", 2, 32},
      {"syntax: bare word", "{\n  \"targets\": [\n    {\"name\": iqn}\n  ]\n}", "/targets/0/name",
       "syntax error", 3, 14},
      {"syntax: truncated", "{\"targets\": [", "/targets/0", "syntax error", 1, 14},
      {"syntax: comment", "// config\n{}", "", "syntax error", 1, 1},
      {"empty text", "\n \n", "", "empty", 1, 1},
      {"not an object", "[]", "", "expected an object"},
      {"missing targets", "{}", "", "missing required key \"targets\""},
      {"unknown top-level key", Doc(Target(), R"(, "bogus": 1)"), "/bogus", "unknown key"},
      {"misspelt parameter",
       Doc(Target(), R"(, "session_defaults": {"iscsi": {"FirstBurstLenght": 512}})"),
       "/session_defaults/iscsi/FirstBurstLenght", "unknown key \"FirstBurstLenght\""},
      {"unknown key in session", Doc(Target("", R"([{"iface": "eth0", "ifcae": "eth1"}])")),
       "/targets/0/sessions/0/ifcae", "unknown key"},
      {"tpgt as string", Doc(Target(R"(, "tpgt": "1")")), "/targets/0/tpgt",
       "expected an integer, got a string"},
      {"Yes/No instead of boolean",
       Doc(Target(), R"(, "session_defaults": {"iscsi": {"InitialR2T": "No"}})"),
       "/session_defaults/iscsi/InitialR2T", "expected a boolean"},
      {"port as float", Doc(Target(R"(, "conn_defaults": {"port": 3260.5})")),
       "/targets/0/conn_defaults/port", "expected an integer"},
      {"port 0",
       Doc(R"({"name": "iqn.2001-05.com.x", "portal": {"address": "10.0.0.1", "port": 0}})"),
       "/targets/0/portal/port", "out of range 1..65535"},
      {"MaxBurstLength too big",
       Doc(Target(), R"(, "session_defaults": {"iscsi": {"MaxBurstLength": 16777216}})"),
       "/session_defaults/iscsi/MaxBurstLength", "out of range 512..16777215"},
      {"ERL 3", Doc(Target(R"(, "session_defaults": {"iscsi": {"ERL": 3}})")),
       "/targets/0/session_defaults/iscsi/ERL", "out of range 0..2"},
      {"MaxConnections 0 (the 2007 example's value)",
       Doc(Target(R"(, "session_defaults": {"iscsi": {"MaxConnections": 0}})")),
       "/targets/0/session_defaults/iscsi/MaxConnections", "out of range 1..65535"},
      {"negative initial_cmdsn", Doc(Target("", R"([{"iface": "eth0", "initial_cmdsn": -1}])")),
       "/targets/0/sessions/0/initial_cmdsn", "out of range"},
      {"type_of_service 256",
       Doc(Target(R"(, "conn_defaults": {"tcp": {"type_of_service": 256}})")),
       "/targets/0/conn_defaults/tcp/type_of_service", "out of range 0..255"},
      {"bad IQN month", Doc(R"({"name": "iqn.2001-13.com.x", "portal": {"address": "10.0.0.1"}})"),
       "/targets/0/name", "is not an iSCSI name"},
      {"not an iSCSI name", Doc(R"({"name": "target1", "portal": {"address": "10.0.0.1"}})"),
       "/targets/0/name", "is not an iSCSI name"},
      {"bad MAC",
       Doc(Target("", R"([{"iface": "00:0E:0C:C2:C1:63"}, {"iface": "00:0E:0C:C2:C3:ZZ"}])")),
       "/targets/0/sessions/1/iface", "\"00:0E:0C:C2:C3:ZZ\" is not a MAC address"},
      {"bad MAC, object form", Doc(Target("", R"([{"iface": {"mac": "00:0E:0C"}}])")),
       "/targets/0/sessions/0/iface/mac", "is not a MAC address"},
      {"netdev name too long", Doc(Target("", R"([{"iface": "a-very-long-ifname"}])")),
       "/targets/0/sessions/0/iface", "is not a network interface name"},
      {"empty NIC rule", Doc(Target("", R"([{"iface": {"match": {}}}])")),
       "/targets/0/sessions/0/iface/match", "is not a NIC rule"},
      {"bad subnet", Doc(Target("", R"([{"iface": {"match": {"subnet": "10.0.0.0/33"}}}])")),
       "/targets/0/sessions/0/iface/match/subnet", "not a subnet"},
      {"bad IPv4 address",
       Doc(R"({"name": "iqn.2001-05.com.x", "portal": {"address": "10.0.0.300"}})"),
       "/targets/0/portal/address", "is not an IPv4 address"},
      {"bad host name", Doc(R"({"name": "iqn.2001-05.com.x", "portal": {"address": "san_a"}})"),
       "/targets/0/portal/address", "is not an IPv4 address"},
      {"digest enum", Doc(Target(R"(, "conn_defaults": {"iscsi": {"HeaderDigest": "MD5"}})")),
       "/targets/0/conn_defaults/iscsi/HeaderDigest", "is not one of"},
      {"startup enum", Doc(Target(R"(, "startup": "sometimes")")), "/targets/0/startup",
       R"(is not one of "manual", "automatic", "onboot")"},
      {"empty session list", Doc(Target("", "[]")), "/targets/0/sessions", "fewer than 1"},
      {"session without iface", Doc(Target("", R"([{"initial_cmdsn": 1}])")),
       "/targets/0/sessions/0", "missing required key \"iface\""},
      {"target without name", Doc(R"({"portal": {"address": "10.0.0.1"}})"), "/targets/0",
       "missing required key \"name\""},
      {"relative secret file",
       Doc(Target(
           R"(, "session_defaults": {"auth": {"authmethod": "CHAP", "username": "u", "password_file": "chap.secret"}})")),
       "/targets/0/session_defaults/auth/password_file", "is not an absolute path"},
      {"duplicate key",
       R"({"targets": [{"name": "iqn.2001-05.com.x", "name": "iqn.2001-05.com.y"}]})",
       "/targets/0/name", "duplicate key"},
      {"duplicate session (MAC case differs)",
       Doc(Target("", R"([{"iface": "00:0E:0C:C2:C1:63"}, {"iface": "00:0e:0c:c2:c1:63"}])")),
       "/targets/0/sessions/1", "same target, portal and iface as /targets/0/sessions/0"},
      {"duplicate target", Doc(R"({"name": "iqn.2001-05.com.x", "portal": {"address": "10.0.0.1"}},
              {"name": "iqn.2001-05.com.x", "conn_defaults": {"address": "10.0.0.1"}})"),
       "/targets/1", "same target, portal and iface as /targets/0"},
      {"duplicate target, IPv6 spelt differently",
       Doc(R"({"name": "iqn.2001-05.com.x", "portal": {"address": "2001:db8::10"}},
              {"name": "iqn.2001-05.COM.X", "portal": {"address": "2001:DB8:0::10", "port": 3260}})"),
       "/targets/1", "same target, portal and iface as /targets/0"},
      {"FirstBurstLength > MaxBurstLength",
       Doc(Target(
           R"(, "session_defaults": {"iscsi": {"FirstBurstLength": 65536, "MaxBurstLength": 32768}})")),
       "/targets/0/session_defaults/iscsi/FirstBurstLength", "exceeds MaxBurstLength"},
      {"FirstBurstLength > MaxBurstLength across layers",
       Doc(Target("", R"([{"iface": "eth0", "iscsi": {"FirstBurstLength": 1048576}}])"),
           R"(, "session_defaults": {"iscsi": {"MaxBurstLength": 524288}})"),
       "/targets/0/sessions/0/iscsi/FirstBurstLength", "exceeds MaxBurstLength 524288"},
      {"portal contradicts conn_defaults",
       Doc(Target(R"(, "conn_defaults": {"address": "10.33.0.11"})")),
       "/targets/0/conn_defaults/address", "contradicts portal.address"},
      {"reset_timeout contradicts host_reset_timeout",
       Doc(Target(),
           R"(, "session_defaults": {"err_timeo": {"reset_timeout": 30, "host_reset_timeout": 60}})"),
       "/session_defaults/err_timeo/reset_timeout", "contradicts host_reset_timeout"},
      {"password and password_file",
       Doc(Target(
           R"(, "session_defaults": {"auth": {"authmethod": "CHAP", "username": "u", "password": "0123456789ab", "password_file": "/etc/x"}})")),
       "/targets/0/session_defaults/auth/password_file", "both password and password_file"},
      {"CHAP without secret",
       Doc(Target(R"(, "session_defaults": {"auth": {"authmethod": "CHAP", "username": "u"}})")),
       "/targets/0/session_defaults/auth/authmethod", "needs auth.username and auth.password"},
      {"mutual CHAP half given",
       Doc(Target(
           R"(, "session_defaults": {"auth": {"authmethod": "CHAP", "username": "u", "password": "0123456789ab", "username_in": "t"}})")),
       "/targets/0/session_defaults/auth/authmethod", "mutual CHAP"},
      {"authmethod None with a username",
       Doc(Target(), R"(, "session_defaults": {"auth": {"authmethod": "None", "username": "u"}})"),
       "/session_defaults/auth/username", "contradicts"},
      {"no portal address", Doc(R"({"name": "iqn.2001-05.com.x"})"), "/targets/0",
       "no portal address"},
      {"more conn overrides than active_conn",
       Doc(Target("", R"([{"iface": "eth0", "conns": [{"port": 3261}, {"port": 3262}]}])")),
       "/targets/0/sessions/0/conns/1", "active_conn is 1"},
      {"active_conn above MaxConnections", Doc(Target(R"(, "active_conn": 2)")),
       "/targets/0/active_conn", "exceeds MaxConnections 1"},
  };
}

}  // namespace

TEST_CASE("the request's example, translated, validates") {
  std::string path = SourcePath("json-schema/examples/equallogic.json");
  LoadedConfig loaded = LoadConfigFile(path);
  for (const ConfigError& e : loaded.errors) {
    FAIL_CHECK(e.ToString());
  }
  REQUIRE(loaded.sessions.size() == 2);
  CliResult r = RunCliForTest({"validate", path});
  CHECK(r.status == 0);
  CHECK(RunCliForTest({"-c", path, "validate"}).status == 0);
}

TEST_CASE("broken configs give a located error and exit status 2") {
  TempDir dir;
  int n = 0;
  for (const BadCase& c : BadCases()) {
    CAPTURE(c.what);
    CAPTURE(c.text);
    LoadedConfig loaded = ParseConfigText(c.text, "/etc/iscsictl/iscsictl.json");
    REQUIRE_FALSE(loaded.ok());
    const ConfigError& e = loaded.errors.front();
    CAPTURE(e.ToString());
    CHECK(e.file == "/etc/iscsictl/iscsictl.json");
    CHECK(e.pointer == c.pointer);
    CHECK(e.message.find(c.message) != std::string::npos);
    if (c.line != 0) {
      CHECK(e.line == c.line);
      CHECK(e.column == c.column);
    }
    // The same through the command line: exit status 2, error on stderr, nothing on stdout.
    std::string path = dir.Write("case" + std::to_string(n++) + ".json", c.text);
    CliResult r = RunCliForTest({"validate", path});
    CHECK(r.status == kExitBadInput);
    CHECK(r.out.empty());
    std::string where =
        path + (c.line != 0 ? ":" + std::to_string(c.line) + ":" + std::to_string(c.column) : "") +
        (c.pointer.empty() ? ": " : ":" + c.pointer + ": ");
    CHECK(r.err.find(where) != std::string::npos);
    CHECK(RunCliForTest({"-c", path, "validate"}).status == kExitBadInput);
  }
  CHECK(n >= 25);
}

TEST_CASE("file-level errors") {
  TempDir dir;
  struct Case {
    const char* what;
    std::string path;
    std::string message;
  };
  std::string empty = dir.Write("empty.json", "");
  std::filesystem::create_directories(dir.path() / "adir.json");
  std::vector<Case> cases = {
      {"missing", (dir.path() / "missing.json").string(), "No such file or directory"},
      {"a directory", (dir.path() / "adir.json").string(), "is a directory"},
      {"empty", empty, "empty"},
  };
  std::string fifo = (dir.path() / "fifo.json").string();
  REQUIRE(mkfifo(fifo.c_str(), 0600) == 0);
  cases.push_back({"a FIFO (nothing would ever be written)", fifo, "is not a regular file"});
  if (geteuid() != 0) {
    cases.push_back({"unreadable", dir.Write("noperm.json", "{}", 0), "Permission denied"});
  }
  for (const Case& c : cases) {
    CAPTURE(c.what);
    LoadedConfig loaded = LoadConfigFile(c.path);
    REQUIRE_FALSE(loaded.ok());
    CHECK(loaded.errors.front().file == c.path);
    CHECK(loaded.errors.front().pointer.empty());
    CHECK(loaded.errors.front().message.find(c.message) != std::string::npos);
    CliResult r = RunCliForTest({"validate", c.path});
    CHECK(r.status == kExitBadInput);
    CHECK(r.err.starts_with(c.path + ":"));
  }
  // Default path from -c.
  CliResult r = RunCliForTest({"-c", (dir.path() / "missing.json").string(), "validate"});
  CHECK(r.status == kExitBadInput);
}

TEST_CASE("secret files") {
  TempDir dir;
  auto config = [&](const std::string& secret) {
    return Doc(Target(
        R"(, "session_defaults": {"auth": {"authmethod": "CHAP", "username": "u", "password_file": ")" +
        secret + R"("}})"));
  };
  struct Case {
    const char* what;
    std::string secret;
    std::string message;  // empty: accepted
  };
  std::vector<Case> cases = {
      {"mode 600", dir.Write("ok.secret", "0123456789ab\n", 0600), ""},
      {"mode 400", dir.Write("ro.secret", "0123456789ab\n", 0400), ""},
      {"world-readable", dir.Write("world.secret", "0123456789ab\n", 0644),
       "accessible by group or others (mode 0644)"},
      {"group-readable", dir.Write("group.secret", "0123456789ab\n", 0640),
       "accessible by group or others (mode 0640)"},
      {"empty", dir.Write("empty.secret", "", 0600), "is empty"},
      {"missing", (dir.path() / "none.secret").string(), "No such file or directory"},
      {"a directory", dir.path().string(), "not a regular file"},
  };
  std::string fifo = (dir.path() / "fifo.secret").string();
  REQUIRE(mkfifo(fifo.c_str(), 0600) == 0);
  cases.push_back({"a FIFO", fifo, "not a regular file"});
  std::string link = (dir.path() / "link.secret").string();
  std::filesystem::create_symlink(dir.path() / "ok.secret", link);
  cases.push_back({"a symlink", link, "Too many levels of symbolic links"});
  for (const Case& c : cases) {
    CAPTURE(c.what);
    std::string path = dir.Write(std::string("cfg-") + std::to_string(&c - cases.data()) + ".json",
                                 config(c.secret));
    LoadedConfig loaded = LoadConfigFile(path);
    CliResult r = RunCliForTest({"validate", path});
    if (c.message.empty()) {
      CHECK(loaded.ok());
      CHECK(r.status == 0);
      continue;
    }
    REQUIRE_FALSE(loaded.ok());
    CHECK(loaded.errors.front().pointer == "/targets/0/session_defaults/auth/password_file");
    CHECK(loaded.errors.front().message.find(c.message) != std::string::npos);
    CHECK(r.status == kExitBadInput);
    // The secret never appears in any output.
    CHECK(r.err.find("0123456789ab") == std::string::npos);
  }
}

TEST_CASE("valid variants") {
  const std::string cases[] = {
      Doc(R"({"name": "iqn.2001-05.com.x", "portal": {"address": "fe80::1%eth0", "port": 3261}})"),
      Doc(R"({"name": "eui.02004567A425678D", "portal": {"address": "san-a.example.com"}})"),
      Doc(R"({"name": "naa.52004567BA64678D", "conn_defaults": {"address": "2001:db8::10"}})"),
      Doc(Target("", R"([{"iface": "eth1"}, {"iface": {"netdev": "eth2"}},
                         {"iface": {"record": "bnx2i.00:10:18:aa:bb:cc"}},
                         {"iface": {"match": {"subnet": "10.33.0.0/24", "name": "enp*", "driver": "ixgbe"}}},
                         {"iface": {"mac": "00:0e:0c:c2:c1:99"}}])")),
      Doc(Target(R"(, "active_conn": 2, "session_defaults": {"iscsi": {"MaxConnections": 2}})",
                 R"([{"iface": "eth0", "conns": [{"port": 3261}, {"address": "10.33.0.11"}]}])")),
      Doc(Target(R"(, "transport": "qla4xxx", "startup": "onboot")")),
      R"({"version": 1, "targets": []})",
  };
  for (const std::string& text : cases) {
    CAPTURE(text);
    LoadedConfig loaded = ParseConfigText(text, "f.json");
    for (const ConfigError& e : loaded.errors) {
      FAIL_CHECK(e.ToString());
    }
  }
}

TEST_CASE("inline secrets in a config group or others can read: a warning, never the secret") {
  TempDir dir;
  const std::string secret = "Inl1neSecret9";
  std::string inline_doc = Doc(Target(
      R"(, "session_defaults": {"auth": {"authmethod": "CHAP", "username": "u", "password": ")" +
      secret + R"("}})"));
  std::string plain_doc = Doc(Target(""));
  struct Case {
    const char* what;
    std::string doc;
    unsigned mode;
    std::string warning;  // empty: none
  };
  const Case cases[] = {
      {"inline, 0644", inline_doc, 0644, "readable by others (mode 0644)"},
      {"inline, 0640", inline_doc, 0640, "readable by its group (mode 0640)"},
      {"inline, 0600", inline_doc, 0600, ""},
      {"inline, 0400", inline_doc, 0400, ""},
      {"no secret, 0644", plain_doc, 0644, ""},
  };
  for (const Case& c : cases) {
    CAPTURE(c.what);
    std::string path =
        dir.Write(std::string("w-") + std::to_string(&c - cases) + ".json", c.doc, c.mode);
    LoadedConfig loaded = LoadConfigFile(path);
    REQUIRE(loaded.ok());
    CliResult r = RunCliForTest({"validate", path});
    CHECK(r.status == 0);  // a warning, not a refusal
    if (c.warning.empty()) {
      CHECK(loaded.warnings.empty());
      CHECK(r.err.find("warning") == std::string::npos);
      continue;
    }
    REQUIRE(loaded.warnings.size() == 1);
    CHECK(loaded.warnings[0].find(path + " holds inline CHAP secrets") != std::string::npos);
    CHECK(loaded.warnings[0].find(c.warning) != std::string::npos);
    CHECK(r.err.find(c.warning) != std::string::npos);
    CHECK(r.err.find(secret) == std::string::npos);
    CHECK(r.out.find(secret) == std::string::npos);
  }
}

TEST_CASE("config: multipath.path_wait is read, bounded, and written back") {
  LoadedConfig c = ParseConfigText(Doc(Target(), R"(, "multipath": {"path_wait": 30})"), "f");
  REQUIRE(c.ok());
  CHECK(c.config.multipath.path_wait == 30);
  CHECK(ConfigToJson(c.config)["multipath"]["path_wait"] == 30);
  CHECK_FALSE(ParseConfigText(Doc(Target()), "f").config.multipath.path_wait);
  LoadedConfig bad = ParseConfigText(Doc(Target(), R"(, "multipath": {"path_wait": 601})"), "f");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.errors[0].pointer == "/multipath/path_wait");
  CHECK_FALSE(ParseConfigText(Doc(Target(), R"(, "multipath": {"wait": 1})"), "f").ok());
}
