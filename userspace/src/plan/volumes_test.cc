#include "plan/volumes.h"

#include <doctest/doctest.h>

namespace iscsictl {
namespace {

constexpr char kIqn[] = "iqn.2026-11.lab.target:mpath";

StatusSession Session(int sid, const std::string& state, const std::string& disk,
                      const std::string& netdev, const std::string& presence = "configured") {
  StatusSession s;
  s.presence = presence;
  s.target = kIqn;
  s.nic.netdev = netdev;
  s.nic.mac = "52:54:00:0c:16:0" + std::to_string(sid);
  if (presence != "missing") {
    LiveSession l;
    l.sid = sid;
    l.state = state;
    l.disks.push_back({"2:0:0:0", disk, "running", {"dm-0"}});
    s.live = l;
  }
  return s;
}

StatusReport Report(std::vector<StatusSession> sessions, bool config = true) {
  StatusReport r;
  r.config_file = config ? "/etc/iscsictl.json" : "";
  r.targets.push_back({kIqn, {{"10.33.0.10", 3260, std::move(sessions)}}});
  return r;
}

MpathMap Map(std::vector<std::pair<std::string, std::string>> paths) {
  MpathMap m;
  m.name = "mpatha";
  m.dm = "dm-0";
  m.wwid = "36001405abc";
  m.size = 16 << 20;
  m.dm_read = true;
  int minor = 0;
  for (const auto& [dev, state] : paths) {
    m.paths.push_back({dev, "8:" + std::to_string(minor), state, 0, 1, "ready", 1});
    minor += 16;
  }
  return m;
}

MultipathState State(MpathMap m) {
  MultipathState st;
  st.maps.push_back(std::move(m));
  st.multipathd = true;
  return st;
}

}  // namespace

TEST_CASE("volumes: a map with two active paths is healthy; check OK") {
  StatusReport r =
      Report({Session(1, "LOGGED_IN", "sda", "ens4"), Session(2, "LOGGED_IN", "sdb", "ens5")});
  VolumeReport v = BuildVolumes(r, State(Map({{"sda", "active"}, {"sdb", "active"}})), {});
  REQUIRE(v.volumes.size() == 1);
  const Volume& vol = v.volumes[0];
  CHECK(vol.wwid == "36001405abc");
  CHECK(vol.map->name == "mpatha");
  CHECK(vol.wanted == 2);
  CHECK(vol.logged_in == 2);
  CHECK(vol.active == 2);
  CHECK(vol.health == Health::kOk);
  REQUIRE(vol.paths.size() == 2);
  CHECK(vol.paths[1].sid == 2);
  CHECK(vol.paths[1].netdev == "ens5");
  CHECK(vol.paths[1].checker == "ready");
  CheckResult c = CheckVolumes(v);
  CHECK(c.exit == 0);
  CHECK(c.summary == "ISCSICTL OK - 1 volume, 2/2 paths active");
}

TEST_CASE("volumes: a failed path, a single path, a missing session: degraded (WARNING)") {
  StatusReport r =
      Report({Session(1, "FAILED", "sda", "ens4"), Session(2, "LOGGED_IN", "sdb", "ens5")});
  CheckResult c =
      CheckVolumes(BuildVolumes(r, State(Map({{"sda", "failed"}, {"sdb", "active"}})), {}));
  CHECK(c.exit == 1);
  REQUIRE(c.lines.size() == 2);
  CHECK(c.lines[0] == "mpatha degraded: 1 of 2 paths failed");
  CHECK(c.lines[1] == "mpatha degraded: 1 of 2 wanted sessions logged in");

  StatusReport one = Report({Session(2, "LOGGED_IN", "sdb", "ens5")});
  c = CheckVolumes(BuildVolumes(one, State(Map({{"sdb", "active"}})), {}));
  CHECK(c.exit == 1);
  CHECK(c.summary ==
        "ISCSICTL WARNING - 1 volume, 1/1 paths active: mpatha degraded: 1 active path, no "
        "redundancy");
}

TEST_CASE("volumes: no active path is CRITICAL; unreadable dm states UNKNOWN") {
  StatusReport r =
      Report({Session(1, "FAILED", "sda", "ens4"), Session(2, "FAILED", "sdb", "ens5")});
  CHECK(
      CheckVolumes(BuildVolumes(r, State(Map({{"sda", "failed"}, {"sdb", "failed"}})), {})).exit ==
      2);
  MpathMap m = Map({{"sda", ""}, {"sdb", ""}});
  m.dm_read = false;
  MultipathState st = State(m);
  st.dm_error = "device mapper: not readable (needs root)";
  CheckResult c = CheckVolumes(BuildVolumes(r, st, {}));
  CHECK(c.exit == 3);
  CHECK(c.lines[0] == "mpatha: path states unreadable (device mapper: not readable (needs root))");
}

TEST_CASE("volumes: disks outside maps grouped by WWID, with the reason there is no map") {
  StatusReport r = Report(
      {Session(1, "LOGGED_IN", "sda", "ens4"), Session(2, "LOGGED_IN", "sdb", "ens5")}, false);
  MultipathState st;
  st.multipathd_error = "multipathd is not running (no socket)";
  VolumeReport v = BuildVolumes(r, st, {{"sda", "naa.6001405abc"}, {"sdb", "naa.6001405abc"}});
  REQUIRE(v.volumes.size() == 1);
  CHECK_FALSE(v.volumes[0].map);
  CHECK(v.volumes[0].no_map == "multipathd is not running (no socket)");
  CHECK(v.volumes[0].wanted == -1);
  CHECK(v.volumes[0].active == 2);
  CheckResult c = CheckVolumes(v);
  CHECK(c.exit == 1);
  CHECK(c.lines[0] ==
        "naa.6001405abc degraded: 2 sessions but no multipath map (multipathd is not running (no "
        "socket))");
}

}  // namespace iscsictl
