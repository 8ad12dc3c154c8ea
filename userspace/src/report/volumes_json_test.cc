#include "report/volumes_json.h"

#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include "config/schema.h"
#include "report/status_json.h"
#include "report/volumes_text.h"
#include "testing/test_util.h"

namespace iscsictl {
namespace {

nlohmann::json StatusSchema() {
  std::ifstream in(testing::SourcePath("json-schema/status.schema.json"));
  std::stringstream text;
  text << in.rdbuf();
  return nlohmann::json::parse(text.str());
}

// The config's sessions, kept for the test's duration.
const std::vector<DesiredSession>& Desired(const DesiredSession& d) {
  static std::vector<DesiredSession> kept;
  kept = {d};
  return kept;
}

// One target, sessions 1 (ens4, sda) and 2 (ens5, sdb); mpatha over sda (failed), sdb.
VolumeReport Volumes(bool with_map) {
  StatusReport r;
  r.config_file = "/etc/iscsictl/iscsictl.json";
  std::vector<StatusSession> sessions;
  for (int sid : {1, 2}) {
    StatusSession s;
    s.presence = "configured";
    s.target = "iqn.2026-11.lab.target:mpath";
    s.config_pointer = "/targets/0";
    s.nic.netdev = sid == 1 ? "ens4" : "ens5";
    s.nic.mac = sid == 1 ? "52:54:00:0c:16:0a" : "52:54:00:0c:16:0b";
    LiveSession l;
    l.sid = sid;
    l.state = sid == 1 ? "FAILED" : "LOGGED_IN";
    l.recovery_tmo = 5;
    l.disks.push_back({"2:0:0:0", sid == 1 ? "sda" : "sdb", "running", {"dm-0"}});
    s.live = l;
    sessions.push_back(s);
  }
  r.targets.push_back({"iqn.2026-11.lab.target:mpath", {{"10.33.0.10", 3260, sessions}}});
  MultipathState st;
  if (with_map) {
    MpathMap m;
    m.name = "mpatha";
    m.dm = "dm-0";
    m.wwid = "36001405abc";
    m.size = 16 << 20;
    m.features = "1 queue_if_no_path";
    m.hwhandler = "0";
    m.dm_read = true;
    m.groups = {{1, "active", "service-time 0"}};
    m.paths = {{"sda", "8:0", "failed", 1, 1, "faulty", 1},
               {"sdb", "8:16", "active", 0, 1, "ready", 1}};
    st.maps.push_back(m);
    st.multipathd = true;
  } else {
    st.multipathd_error = "multipathd is not running (no socket)";
  }
  DesiredSession d;
  d.pointer = "/targets/0";
  d.params.replacement_timeout = 120;
  return BuildVolumes(r, st, {{"sda", "naa.6001405abc"}, {"sdb", "naa.6001405abc"}}, &Desired(d));
}

}  // namespace

TEST_CASE("status --json volumes are valid against the schema, with and without a map") {
  for (bool with_map : {true, false}) {
    CAPTURE(with_map);
    nlohmann::ordered_json doc = StatusToJson(StatusReport{});
    PutVolumesJson(doc, Volumes(with_map));
    std::vector<SchemaError> errors =
        ValidateAgainst(StatusSchema(), nlohmann::json::parse(doc.dump()));
    for (const SchemaError& e : errors) {
      FAIL_CHECK(e.pointer << ": " << e.message);
    }
    CHECK(errors.empty());
    REQUIRE(doc["volumes"].size() == 1);
    CHECK(doc["volumes"][0]["health"] == "degraded");
  }
  nlohmann::ordered_json doc = nlohmann::ordered_json::object();
  PutVolumesJson(doc, Volumes(true));
  const auto& v = doc["volumes"][0];
  CHECK(v["map"]["name"] == "mpatha");
  CHECK(v["paths"][0]["dm_state"] == "failed");
  CHECK(v["paths"][0]["checker"] == "faulty");
  CHECK(v["paths"][1]["netdev"] == "ens5");
  CHECK(v["active"] == 1);
  CHECK(v["wanted"] == 2);
  CHECK(doc["multipath"]["multipathd"] == true);
}

TEST_CASE("status text: the volume, its map, health, notes and paths") {
  std::string text = FormatVolumes(Volumes(true));
  CHECK(text.find("volume 36001405abc (target iqn.2026-11.lab.target:mpath)") != std::string::npos);
  CHECK(text.find("  map mpatha (dm-0, 16.0 MiB, service-time 0, features 1 queue_if_no_path)") !=
        std::string::npos);
  CHECK(text.find("  health degraded: wanted 2, logged in 1, active 1") != std::string::npos);
  CHECK(text.find("recovery_tmo is 5 s, the config's replacement_timeout 120 s") !=
        std::string::npos);
  CHECK(text.find("    sda   1    FAILED     ens4       52:54:00:0c:16:0a failed  faulty    1") !=
        std::string::npos);
  CHECK(text.find("checker states unavailable") == std::string::npos);
  std::string nomap = FormatVolumes(Volumes(false));
  CHECK(nomap.find("  no multipath map: multipathd is not running (no socket)") !=
        std::string::npos);
  CHECK(nomap.find("checker states unavailable: multipathd is not running (no socket)") !=
        std::string::npos);
  CHECK(nomap.find("note:") == std::string::npos);  // no map: multipathd set nothing
}

}  // namespace iscsictl
