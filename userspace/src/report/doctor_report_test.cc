#include "report/doctor_report.h"

#include <doctest/doctest.h>

#include "config/schema.h"
#include "testing/test_util.h"

using namespace iscsictl;
using iscsictl::testing::ReadText;
using iscsictl::testing::SourcePath;

namespace {

std::vector<DoctorFinding> Findings() {
  return {{"arp",
           "ve0 shares 10.33.0.0/24 with ve1: arp_ignore 0 (want 1 or 2)",
           {"sysctl -w net.ipv4.conf.ve0.arp_ignore=1",
            "and in /etc/sysctl.d/90-iscsictl-arp.conf (kept across boots):",
            "  net.ipv4.conf.ve0.arp_ignore = 1"}},
          {"reach", "ve1 (10.33.0.102) cannot reach portal 10.33.0.10:3260: \x1b[2J", {}}};
}

DoctorChecked Checked() {
  DoctorChecked c;
  c.targets = 1;
  c.nics = 2;
  c.probes = 2;
  c.multipathd = true;
  return c;
}

void CheckValid(const nlohmann::ordered_json& doc) {
  nlohmann::json schema = nlohmann::json::parse(ReadText(SourcePath("json-schema/doctor.schema.json")));
  std::vector<SchemaError> errors = ValidateAgainst(schema, nlohmann::json::parse(doc.dump()));
  for (const SchemaError& e : errors) {
    FAIL_CHECK(e.pointer << ": " << e.message);
  }
  CHECK(errors.empty());
}

}  // namespace

TEST_CASE("doctor text: a line per finding, its fixes, the summary") {
  CHECK(FormatDoctor(Findings(), Checked()) ==
        "doctor: arp: ve0 shares 10.33.0.0/24 with ve1: arp_ignore 0 (want 1 or 2)\n"
        "  fix: sysctl -w net.ipv4.conf.ve0.arp_ignore=1\n"
        "  fix: and in /etc/sysctl.d/90-iscsictl-arp.conf (kept across boots):\n"
        "  fix:   net.ipv4.conf.ve0.arp_ignore = 1\n"
        "doctor: reach: ve1 (10.33.0.102) cannot reach portal 10.33.0.10:3260: \\x1b[2J\n"
        "doctor: 2 findings (checked 2 NICs of 1 target, 2 NIC-portal pairs, multipathd)\n");
  DoctorChecked c;
  c.nics = 1;
  c.targets = 1;
  c.probes = 1;
  c.unbound = 1;
  c.absent = 2;
  CHECK(FormatDoctor({}, c) ==
        "doctor: OK (checked 1 NIC of 1 target, 1 NIC-portal pair; 1 session not bound to a NIC, "
        "not checked; 2 sessions with no NIC present)\n");
}

TEST_CASE("doctor --json is valid against json-schema/doctor.schema.json") {
  nlohmann::ordered_json j = DoctorToJson(Findings(), Checked());
  CheckValid(j);
  CHECK(j["ok"] == false);
  CHECK(j["findings"][0]["check"] == "arp");
  CHECK(j["findings"][0]["fix"].size() == 3);
  CHECK(j["checked"]["multipathd"] == true);
  nlohmann::ordered_json ok = DoctorToJson({}, DoctorChecked{});
  CheckValid(ok);
  CHECK(ok["ok"] == true);
  // the schema refuses what is not a finding
  ok["findings"].push_back({{"check", "dns"}, {"what", "x"}, {"fix", nlohmann::json::array()}});
  CHECK_FALSE(ValidateAgainst(nlohmann::json::parse(ReadText(SourcePath("json-schema/doctor.schema.json"))),
                              nlohmann::json::parse(ok.dump()))
                  .empty());
}
