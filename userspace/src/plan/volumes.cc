#include "plan/volumes.h"

#include <fmt/format.h>

#include <algorithm>

#include "base/names.h"

namespace iscsictl {
namespace {

struct DiskOf {
  const StatusSession* session;
  std::string target;
};

// block device -> the session reaching it.
std::map<std::string, DiskOf> Disks(const StatusReport& status) {
  std::map<std::string, DiskOf> out;
  for (const StatusTarget& t : status.targets) {
    for (const StatusPortal& p : t.portals) {
      for (const StatusSession& s : p.sessions) {
        if (!s.live) {
          continue;
        }
        for (const LiveDisk& d : s.live->disks) {
          if (!d.block.empty()) {
            out.emplace(d.block, DiskOf{&s, t.name});
          }
        }
      }
    }
  }
  return out;
}

// Sessions the config wants to `target` (configured and missing); -1 without a config.
int Wanted(const StatusReport& status, const std::string& target) {
  if (status.config_file.empty()) {
    return -1;
  }
  int n = 0;
  for (const StatusTarget& t : status.targets) {
    if (ToLower(t.name) != ToLower(target)) {
      continue;
    }
    for (const StatusPortal& p : t.portals) {
      n += static_cast<int>(
          std::count_if(p.sessions.begin(), p.sessions.end(), [](const StatusSession& s) {
            return s.presence == "configured" || s.presence == "missing";
          }));
    }
  }
  return n;
}

VolumePath PathFor(const std::string& dev, const std::map<std::string, DiskOf>& disks) {
  VolumePath v;
  v.dev = dev;
  if (auto it = disks.find(dev); it != disks.end()) {
    const StatusSession& s = *it->second.session;
    v.sid = s.live->sid;
    v.session_state = s.live->state;
    v.netdev = s.nic.netdev;
    v.mac = s.nic.mac;
  }
  return v;
}

// A mapped path's session whose recovery_tmo differs from the config's replacement_timeout:
// multipathd rewrote it from its fast_io_fail_tmo.
void NoteTimeouts(Volume& v, const std::map<std::string, DiskOf>& disks,
                  const std::vector<DesiredSession>& desired) {
  for (const VolumePath& p : v.paths) {
    auto it = disks.find(p.dev);
    if (it == disks.end()) {
      continue;
    }
    const StatusSession& s = *it->second.session;
    auto d = std::find_if(desired.begin(), desired.end(), [&](const DesiredSession& ds) {
      return !s.config_pointer.empty() && ds.pointer == s.config_pointer;
    });
    if (d == desired.end() || !d->params.replacement_timeout || !s.live->recovery_tmo ||
        *s.live->recovery_tmo == *d->params.replacement_timeout) {
      continue;
    }
    v.notes.push_back(fmt::format(
        "session {}: recovery_tmo is {} s, the config's replacement_timeout {} s (multipathd "
        "sets it from fast_io_fail_tmo: make them agree)",
        s.live->sid, *s.live->recovery_tmo, *d->params.replacement_timeout));
  }
}

void Judge(Volume& v, const VolumeReport& r) {
  std::string name = v.map ? v.map->name : v.wwid;
  if (v.map && !v.map->dm_read) {
    v.health = Health::kUnknown;
    v.problems.push_back(fmt::format("{}: path states unreadable ({})", name, r.dm_error));
    return;
  }
  if (v.map && v.active == 0) {
    v.health = Health::kFailed;
    v.problems.push_back(fmt::format("{}: no active path", name));
    return;
  }
  if (!v.map && v.logged_in == 0) {
    v.health = Health::kFailed;
    v.problems.push_back(fmt::format("{}: no logged-in session", name));
    return;
  }
  auto degraded = [&](std::string why) {
    v.health = Health::kDegraded;
    v.problems.push_back(fmt::format("{} degraded: {}", name, why));
  };
  if (v.map) {
    int failed = static_cast<int>(v.map->paths.size()) - v.active;
    if (failed > 0) {
      degraded(fmt::format("{} of {} paths failed", failed, v.map->paths.size()));
    } else if (v.active < 2) {
      degraded("1 active path, no redundancy");
    }
  } else if (v.logged_in >= 2) {
    degraded(fmt::format("{} sessions but no multipath map ({})", v.logged_in, v.no_map));
  }
  if (v.wanted >= 0 && v.logged_in < v.wanted) {
    degraded(fmt::format("{} of {} wanted sessions logged in", v.logged_in, v.wanted));
  }
}

}  // namespace

std::string_view HealthName(Health h) {
  switch (h) {
    case Health::kOk:
      return "ok";
    case Health::kDegraded:
      return "degraded";
    case Health::kFailed:
      return "failed";
    case Health::kUnknown:
      break;
  }
  return "unknown";
}

VolumeReport BuildVolumes(const StatusReport& status, const MultipathState& multipath,
                          const std::map<std::string, std::string>& wwids,
                          const std::vector<DesiredSession>* desired) {
  VolumeReport r;
  r.multipathd = multipath.multipathd;
  r.multipathd_error = multipath.multipathd_error;
  r.dm_error = multipath.dm_error;
  std::map<std::string, DiskOf> disks = Disks(status);
  std::map<std::string, size_t> by_wwid;  // volumes without a map
  for (const MpathMap& m : multipath.maps) {
    Volume v;
    v.wwid = m.wwid;
    v.map = m;
    for (const MpathPath& p : m.paths) {
      VolumePath vp = PathFor(p.dev, disks);
      vp.devt = p.devt;
      vp.dm_state = p.dm_state;
      vp.checker = p.checker;
      vp.group = p.group;
      vp.priority = p.priority;
      if (auto it = disks.find(p.dev); it != disks.end() && v.target.empty()) {
        v.target = it->second.target;
      }
      v.paths.push_back(vp);
    }
    if (v.target.empty()) {
      continue;  // a map over no iSCSI disk of these sessions: not ours to show
    }
    r.volumes.push_back(std::move(v));
  }
  for (const auto& [dev, of] : disks) {
    if (multipath.MapOfDisk(dev) != nullptr) {
      continue;
    }
    auto w = wwids.find(dev);
    std::string wwid = w != wwids.end() && !w->second.empty() ? w->second : dev;
    auto [it, fresh] = by_wwid.emplace(wwid, r.volumes.size());
    if (fresh) {
      Volume v;
      v.wwid = wwid;
      v.target = of.target;
      v.no_map = !multipath.multipathd && multipath.maps.empty() ? multipath.multipathd_error
                                                                 : "not in a multipath map";
      r.volumes.push_back(std::move(v));
    }
    r.volumes[it->second].paths.push_back(PathFor(dev, disks));
  }
  for (Volume& v : r.volumes) {
    v.wanted = Wanted(status, v.target);
    for (const VolumePath& p : v.paths) {
      bool up = p.session_state == "LOGGED_IN";
      v.logged_in += up ? 1 : 0;
      v.active += v.map ? (p.dm_state == "active" ? 1 : 0) : (up ? 1 : 0);
    }
    Judge(v, r);
    if (v.map && desired != nullptr) {
      NoteTimeouts(v, disks, *desired);
    }
  }
  return r;
}

CheckResult CheckVolumes(const VolumeReport& report) {
  CheckResult c;
  bool failed = false, unknown = false, degraded = false;
  int active = 0, paths = 0;
  for (const Volume& v : report.volumes) {
    failed |= v.health == Health::kFailed;
    unknown |= v.health == Health::kUnknown;
    degraded |= v.health == Health::kDegraded;
    active += v.active;
    paths += static_cast<int>(v.paths.size());
    for (const std::string& p : v.problems) {
      c.lines.push_back(p);
    }
  }
  // A volume known dead matters more than one whose state cannot be read.
  int worst = failed ? 2 : unknown ? 3 : degraded ? 1 : 0;
  c.exit = worst;
  static constexpr const char* kWord[] = {"OK", "WARNING", "CRITICAL", "UNKNOWN"};
  c.summary =
      fmt::format("ISCSICTL {} - {} volume{}, {}/{} paths active", kWord[worst],
                  report.volumes.size(), report.volumes.size() == 1 ? "" : "s", active, paths);
  if (!c.lines.empty()) {
    c.summary += ": " + c.lines.front();
  }
  return c;
}

}  // namespace iscsictl
