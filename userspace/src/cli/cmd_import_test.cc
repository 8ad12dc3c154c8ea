#include "cli/cmd_import.h"

#include <doctest/doctest.h>
#include <sys/stat.h>

#include <fstream>
#include <sstream>

#include "cli/cli.h"
#include "config/config_load.h"
#include "testing/test_util.h"

using namespace iscsictl;
using iscsictl::testing::CliResult;
using iscsictl::testing::RunCliForTest;
using iscsictl::testing::SourcePath;
using iscsictl::testing::TempDir;

using iscsictl::testing::ReadText;

namespace {

const char* const kTarget = "iqn.2001-05.com.equallogic:6-8a0900-fdf687001-3e3000035b045ecb-test";

std::string Fixture(const std::string& name) {
  return SourcePath("userspace/testdata/import/" + name);
}

}  // namespace

TEST_CASE("import from an /etc/iscsi tree") {
  CliResult r = RunCliForTest({"import", "--root", Fixture("etc-iscsi"), "--secrets-dir", "/s"});
  REQUIRE(r.status == 0);
  // CHAP secrets are never printed, neither in the config nor in the notes.
  CHECK(r.out.find("s3cr3t") == std::string::npos);
  CHECK(r.err.find("s3cr3t") == std::string::npos);

  LoadedConfig loaded = ParseConfigText(r.out, "imported.json");
  for (const ConfigError& e : loaded.errors) {
    FAIL_CHECK(e.ToString());
  }
  const Config& c = loaded.config;
  REQUIRE(c.targets.size() == 3);
  const TargetConfig& t = c.targets[0];
  CHECK(t.name == kTarget);
  CHECK(*t.portal_address == "10.33.0.10");
  CHECK(*t.tpgt == 1);
  CHECK(t.startup == "automatic");
  REQUIRE(t.sessions.size() == 2);
  CHECK(t.sessions[0].iface.kind == Iface::Kind::kMac);  // ifaces/iface0: iface.hwaddress
  CHECK(t.sessions[0].iface.value == "00:0e:0c:c2:c1:63");
  CHECK(t.sessions[1].iface.kind == Iface::Kind::kNetdev);  // ifaces/iface1: net_ifacename
  CHECK(t.sessions[1].iface.value == "eth2");
  // What both records share is a target default; what differs stays per session.
  CHECK(*t.session_defaults.authmethod == "CHAP");
  CHECK(*t.session_defaults.username == "initiator1");
  CHECK(t.session_defaults.password->file ==
        "/s/"
        "iqn.2001-05.com.equallogic_6-8a0900-fdf687001-3e3000035b045ecb-test_10.33.0.10_3260.chap");
  CHECK(t.session_defaults.password_in->file.ends_with(".chap_in"));
  CHECK(t.sessions[0].conns.empty());
  REQUIRE(t.sessions[1].conns.size() == 1);
  CHECK(*t.sessions[1].conns[0].login_timeout == 30);
  // A default-iface record (old layout, portal entry is the file) is the implicit single session.
  CHECK(c.targets[1].name == "iqn.2003-01.org.linux-iscsi.lab:sn.0002");
  CHECK_FALSE(c.targets[1].sessions_given);
  // Offload iface: bound by its record.
  CHECK(c.targets[2].transport == "bnx2i");
  REQUIRE(c.targets[2].sessions.size() == 1);
  CHECK(c.targets[2].sessions[0].iface.kind == Iface::Kind::kRecord);
  CHECK(c.targets[2].sessions[0].iface.value == "bnx2i.00:10:18:aa:bb:cc");

  // Values the config cannot carry are reported, defaults are not.
  CHECK(r.err.find("node.session.queue_depth = 64 has no equivalent") != std::string::npos);
  CHECK(r.err.find("cmds_max") == std::string::npos);

  // The resolved parameters equal the records' values.
  REQUIRE(loaded.sessions.size() == 4);
  CHECK(*loaded.sessions[0].params.default_time2wait == 2);
  CHECK(*loaded.sessions[1].conns[0].login_timeout == 30);
  CHECK(*loaded.sessions[0].conns[0].login_timeout == 15);
}

TEST_CASE("import --write-secrets stores root-only secret files the config accepts") {
  TempDir dir;
  std::string secrets = (dir.path() / "secrets").string();
  CliResult r = RunCliForTest(
      {"import", "--root", Fixture("etc-iscsi"), "--secrets-dir", secrets, "--write-secrets"});
  REQUIRE(r.status == 0);
  CHECK(r.err.find("s3cr3t") == std::string::npos);
  std::string chap = secrets + "/" +
                     "iqn.2001-05.com.equallogic_6-8a0900-fdf687001-3e3000035b045ecb-test_10.33."
                     "0.10_3260.chap";
  struct stat st {};
  REQUIRE(stat(chap.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  CHECK(ReadText(chap) == "s3cr3t-chap-pw\n");
  std::string config = dir.Write("iscsictl.json", r.out);
  CliResult v = RunCliForTest({"validate", config});
  CHECK(v.status == 0);
  CHECK(v.err.empty());
  // Existing secret files are never overwritten.
  CliResult again = RunCliForTest(
      {"import", "--root", Fixture("etc-iscsi"), "--secrets-dir", secrets, "--write-secrets"});
  CHECK(again.status == kExitFailure);
}

TEST_CASE("import from iscsiadm -m node -o show output") {
  std::istringstream in(ReadText(Fixture("iscsiadm-node-show.txt")));
  std::ostringstream out;
  std::ostringstream err;
  ImportOptions options;
  options.from_stdin = true;
  options.write_secrets = true;  // masked secrets must not be written
  options.secrets_dir = "/nonexistent/never-written";
  REQUIRE(RunImport(options, in, out, err) == 0);
  CHECK(err.str().find("masked") != std::string::npos);
  LoadedConfig loaded = ParseConfigText(out.str(), "stdin.json");
  REQUIRE(loaded.ok());
  REQUIRE(loaded.config.targets.size() == 1);
  const TargetConfig& t = loaded.config.targets[0];
  REQUIRE(t.sessions.size() == 2);
  // Here the iface keys come from the records themselves.
  CHECK(t.sessions[0].iface.value == "00:0e:0c:c2:c1:63");
  CHECK(t.sessions[1].iface.value == "eth2");
}

TEST_CASE("import without a database") {
  TempDir dir;
  CliResult r = RunCliForTest({"import", "--root", dir.path().string()});
  CHECK(r.status == kExitBadInput);
  CHECK(r.err.find("nodes/ missing") != std::string::npos);
}
