#include "plan/path_wait.h"

#include <fmt/format.h>

namespace iscsictl {
namespace {

enum class DiskState { kActive, kPending };

// One disk (block device `dev`, "" while it has none): its state and what to say of it.
DiskState JudgeDisk(const std::string& dev, const MultipathState& maps, long limit_s,
                    const std::optional<std::set<std::string>>& multipathd_paths,
                    std::string& text) {
  if (dev.empty()) {
    text = fmt::format("no disk yet (a LUN without a block device after {} s)", limit_s);
    return DiskState::kPending;
  }
  const MpathMap* map = maps.MapOfDisk(dev);
  if (map == nullptr) {
    if (multipathd_paths && multipathd_paths->count(dev) == 0) {
      text = fmt::format("{} not in a map after {} s: multipathd does not list it (blacklisted)",
                         dev, limit_s);
    } else {
      text = fmt::format("{} not in a map after {} s", dev, limit_s);
    }
    return DiskState::kPending;
  }
  const MpathPath* path = map->PathOf(dev);
  if (!map->dm_read || path->dm_state == "active") {
    // Without dm's status (not root) membership is all there is to tell.
    text = fmt::format("path {} {} {}", dev, map->dm_read ? "active in" : "in", map->name);
    return DiskState::kActive;
  }
  text = fmt::format("path {} {} in {} after {} s", dev,
                     path->dm_state.empty() ? "not active" : path->dm_state, map->name, limit_s);
  return DiskState::kPending;
}

}  // namespace

PathVerdict JudgePath(const ObservedSession* session, const MultipathState& maps, bool last,
                      long limit_s, const std::optional<std::set<std::string>>& multipathd_paths) {
  PathVerdict v;
  if (session == nullptr) {
    v.done = true;
    v.text = "no session any more";
    return v;
  }
  if (session->blocks.empty()) {
    v.done = true;
    v.text = "no disk yet";
    return v;
  }
  bool all_active = true;
  for (const std::string& dev : session->blocks) {
    std::string text;
    all_active =
        JudgeDisk(dev, maps, limit_s, multipathd_paths, text) == DiskState::kActive && all_active;
    v.text += (v.text.empty() ? "" : "; ") + text;
  }
  v.active = all_active;
  v.done = all_active || last;
  return v;
}

}  // namespace iscsictl
