#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include "config/config_load.h"
#include "config/schema.h"
#include "report/status_json.h"
#include "sources/nics.h"
#include "sources/sysfs_reader.h"
#include "testing/test_util.h"

using namespace iscsictl;
using iscsictl::testing::SourcePath;

namespace {

nlohmann::json StatusSchema() {
  std::ifstream in(SourcePath("json-schema/status.schema.json"));
  std::stringstream text;
  text << in.rdbuf();
  return nlohmann::json::parse(text.str());
}

void CheckValid(const nlohmann::ordered_json& doc) {
  std::vector<SchemaError> errors =
      ValidateAgainst(StatusSchema(), nlohmann::json::parse(doc.dump()));
  for (const SchemaError& e : errors) {
    FAIL_CHECK(e.pointer << ": " << e.message);
  }
  CHECK(errors.empty());
}

StatusReport FromFixture(const std::string& name, const std::vector<DesiredSession>* d) {
  std::string root = SourcePath("userspace/testdata/sysfs/" + name);
  return BuildStatus(ReadSysfsLiveState(root), ReadNicsSysfs(root), d, d ? "c.json" : "");
}

}  // namespace

TEST_CASE("status --json is valid against json-schema/status.schema.json") {
  for (const char* name : {"software", "software-nomodule", "qla4xxx"}) {
    CAPTURE(name);
    CheckValid(StatusToJson(FromFixture(name, nullptr)));
  }
  LoadedConfig cfg = ParseConfigText(R"({"targets": [{"name": "iqn.2026-11.lab.target:status",
      "portal": {"address": "10.33.0.10"}, "sessions": [{"iface": "ve0"}, {"iface": "ve7"}]}]})",
                                     "c.json");
  REQUIRE(cfg.ok());
  CheckValid(StatusToJson(FromFixture("software", &cfg.sessions)));
  CheckValid(StatusToJson(StatusReport{}));
  StatusReport refused;
  refused.module_refusal = "the kernel loads signed modules only (module.sig_enforce) and ...";
  CheckValid(StatusToJson(refused));
  CHECK(StatusToJson(refused)["module_refusal"] == refused.module_refusal);
  CHECK_FALSE(StatusToJson(StatusReport{}).contains("module_refusal"));
}

TEST_CASE("status --json content") {
  nlohmann::ordered_json j = StatusToJson(FromFixture("software", nullptr));
  CHECK(j["module_loaded"] == true);
  CHECK(j["config"].is_null());
  const auto& portal = j["targets"][0]["portals"][0];
  CHECK(portal["address"] == "10.33.0.10");
  const auto& s = portal["sessions"][0];
  CHECK(s["sid"] == 1);
  CHECK(s["state"] == "LOGGED_IN");
  CHECK(s["host"] == "host2");
  CHECK(s["driver"] == "iscsi_tcp");
  CHECK(s["nic"]["netdev"] == "ve0");
  CHECK(s["nic"]["verified"] == true);
  CHECK(s["params"]["initial_r2t"] == false);
  CHECK(s["params"]["immediate_data"] == true);
  CHECK(s["params"]["first_burst_length"] == 262144);
  CHECK(s["params"]["header_digest"] == "None");
  CHECK(s["connections"][0]["iface"] == "ve0");
  CHECK(s["connections"][0]["local_port"] == 40001);
  CHECK(s["disks"][0]["name"] == "sda");
  CHECK(s["disks"][0]["holders"][0] == "dm-0");
  const auto& failed = portal["sessions"][1];
  CHECK(failed["state"] == "FAILED");
  CHECK(failed["connections"][0]["address"].is_null());
  CHECK(failed["connections"][0]["iface"] == nullptr);  // empty while there is no socket
  CHECK(failed["nic"]["verified"] == false);
}

TEST_CASE("nics --json") {
  std::vector<NicInfo> nics = ReadNicsSysfs(SourcePath("userspace/testdata/sysfs/software"));
  nlohmann::ordered_json j = NicsToJson(nics);
  REQUIRE(j["nics"].size() == 3);
  CHECK(j["nics"][0]["name"] == "enp2s0");
  CHECK(j["nics"][0]["pci_slot"] == "0000:02:00.0");
  CHECK(j["nics"][1]["driver"].is_null());
}
