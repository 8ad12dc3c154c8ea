#include "report/volumes_json.h"

namespace iscsictl {
namespace {

using ojson = nlohmann::ordered_json;

ojson TextOrNull(const std::string& s) {
  return s.empty() ? ojson() : ojson(s);
}

ojson MapJson(const MpathMap& m) {
  ojson j = ojson::object();
  j["name"] = m.name;
  j["dm"] = m.dm;
  j["size"] = m.size;
  j["features"] = TextOrNull(m.features);
  j["hwhandler"] = TextOrNull(m.hwhandler);
  ojson groups = ojson::array();
  for (const MpathGroup& g : m.groups) {
    groups.push_back({{"group", g.number},
                      {"state", TextOrNull(g.state)},
                      {"selector", TextOrNull(g.selector)}});
  }
  j["groups"] = groups;
  return j;
}

ojson PathJson(const VolumePath& p) {
  ojson j = ojson::object();
  j["disk"] = TextOrNull(p.dev);
  j["devt"] = TextOrNull(p.devt);
  j["sid"] = p.sid < 0 ? ojson() : ojson(p.sid);
  j["session_state"] = TextOrNull(p.session_state);
  j["netdev"] = TextOrNull(p.netdev);
  j["mac"] = TextOrNull(p.mac);
  j["dm_state"] = TextOrNull(p.dm_state);
  j["checker"] = TextOrNull(p.checker);
  j["group"] = p.group > 0 ? ojson(p.group) : ojson();
  j["priority"] = p.priority < 0 ? ojson() : ojson(p.priority);
  return j;
}

}  // namespace

void PutVolumesJson(ojson& status, const VolumeReport& report) {
  status["multipath"] = {{"multipathd", report.multipathd},
                         {"multipathd_error", TextOrNull(report.multipathd_error)},
                         {"dm_error", TextOrNull(report.dm_error)}};
  ojson volumes = ojson::array();
  for (const Volume& v : report.volumes) {
    ojson j = ojson::object();
    j["wwid"] = v.wwid;
    j["target"] = TextOrNull(v.target);
    j["map"] = v.map ? MapJson(*v.map) : ojson();
    j["no_map"] = TextOrNull(v.no_map);
    j["health"] = std::string(HealthName(v.health));
    j["wanted"] = v.wanted < 0 ? ojson() : ojson(v.wanted);
    j["logged_in"] = v.logged_in;
    j["active"] = v.active;
    ojson problems = ojson::array();
    for (const std::string& p : v.problems) {
      problems.push_back(p);
    }
    j["problems"] = problems;
    j["notes"] = v.notes;
    ojson paths = ojson::array();
    for (const VolumePath& p : v.paths) {
      paths.push_back(PathJson(p));
    }
    j["paths"] = paths;
    volumes.push_back(j);
  }
  status["volumes"] = volumes;
}

}  // namespace iscsictl
