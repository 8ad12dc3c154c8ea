#include <doctest/doctest.h>

#include <sstream>

#include "config/config_load.h"
#include "report/status_text.h"
#include "sources/nics.h"
#include "sources/sysfs_reader.h"
#include "testing/test_util.h"

using namespace iscsictl;
using iscsictl::testing::SourcePath;

namespace {

StatusReport FromFixture(const std::string& name, const std::vector<DesiredSession>* d = nullptr) {
  std::string root = SourcePath("userspace/testdata/sysfs/" + name);
  return BuildStatus(ReadSysfsLiveState(root), ReadNicsSysfs(root), d, d ? "c.json" : "");
}

// Every line but record IDs (which hold a whole IQN) fits in 80 columns.
void CheckWidth(const std::string& text) {
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.find(" id ") == std::string::npos) {
      CHECK_MESSAGE(line.size() <= 80, line);
    }
  }
}

}  // namespace

TEST_CASE("status text: aligned, verified and unverified NICs") {
  std::string with = FormatStatus(FromFixture("software"));
  CheckWidth(with);
  CHECK(with.find("module iscsi_iface_attrs: loaded") != std::string::npos);
  CHECK(with.find("target iqn.2026-11.lab.target:status\n") != std::string::npos);
  CHECK(with.find("  portal 10.33.0.10:3260\n") != std::string::npos);
  CHECK(with.find("    1   LOGGED_IN ve0     02:00:00:00:05:00  sda>dm-0\n") != std::string::npos);
  CHECK(with.find("    3   FAILED    enp2s0? 52:54:00:0b:00:01? sdc[blocked]\n") !=
        std::string::npos);
  CHECK(with.find("id iqn.2026-11.lab.target:status,10.33.0.10,3260,sw,eth,02:00:00:00:05:00") !=
        std::string::npos);
  CHECK(with.find("? unverified") != std::string::npos);

  std::string without = FormatStatus(FromFixture("software-nomodule"));
  CheckWidth(without);
  CHECK(without.find("not loaded") != std::string::npos);
  CHECK(without.find("ve0?") != std::string::npos);
}

TEST_CASE("status text: offload HBA, missing and unconfigured sessions, nothing at all") {
  std::string hba = FormatStatus(FromFixture("qla4xxx"));
  CHECK(hba.find("(host6)") != std::string::npos);
  CHECK(hba.find("qla4xxx,pci/0000:03:00.1,00:0e:1e:00:00:02") != std::string::npos);
  CHECK(hba.find("? unverified") == std::string::npos);

  LoadedConfig cfg = ParseConfigText(R"({"targets": [{"name": "iqn.2026-11.lab.target:status",
      "portal": {"address": "10.33.0.10"}, "sessions": [{"iface": "ve0"}, {"iface": "ve7"}]}]})",
                                     "c.json");
  REQUIRE(cfg.ok());
  std::string text = FormatStatus(FromFixture("software", &cfg.sessions));
  CheckWidth(text);
  CHECK(text.find("config: c.json") != std::string::npos);
  CHECK(text.find("MISSING") != std::string::npos);
  CHECK(text.find("configured at /targets/0/sessions/1, not logged in") != std::string::npos);
  CHECK(text.find("not in the config") != std::string::npos);

  CHECK(FormatStatus(StatusReport{}).find("no iSCSI sessions") != std::string::npos);
}

TEST_CASE("status text: why the kernel refuses the module") {
  StatusReport r;
  CHECK(FormatStatus(r).find("module refused?") == std::string::npos);
  r.module_refusal = "the kernel loads signed modules only (module.sig_enforce) and x is unsigned";
  std::string text = FormatStatus(r);
  CHECK(text.find("module iscsi_iface_attrs: not loaded; config: none (live state only)\n"
                  "  module refused? the kernel loads signed modules only (module.sig_enforce) "
                  "and x is unsigned\n") != std::string::npos);
}

TEST_CASE("nics text") {
  std::string text = FormatNics(ReadNicsSysfs(SourcePath("userspace/testdata/sysfs/software")));
  CheckWidth(text);
  CHECK(text.find("enp2s0 up    52:54:00:0b:00:01 e1000e 0000:02:00.0") != std::string::npos);
  CHECK(text.find("serial 52-54-00-ff-ff-0b-00-01") != std::string::npos);
}

TEST_CASE("status text: a target name with escape sequences and bytes that are not UTF-8") {
  std::string root = SourcePath("userspace/testdata/sysfs/software");
  LiveState live = ReadSysfsLiveState(root);
  REQUIRE_FALSE(live.sessions.empty());
  live.sessions[0].targetname = "iqn.2003-01.org.x:\x1b[2J\xff";
  std::string text = FormatStatus(BuildStatus(live, ReadNicsSysfs(root), nullptr, ""));
  CHECK(text.find('\x1b') == std::string::npos);
  CHECK(text.find("iqn.2003-01.org.x:\\x1b[2J\\xff") != std::string::npos);
  std::vector<NicInfo> nics = ReadNicsSysfs(root);
  REQUIRE_FALSE(nics.empty());
  nics[0].serial = "\x07serial";
  CHECK(FormatNics(nics).find("\\x07serial") != std::string::npos);
}
