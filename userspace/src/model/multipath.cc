#include "model/multipath.h"

#include <algorithm>

namespace iscsictl {

int MpathMap::ActivePaths() const {
  return static_cast<int>(std::count_if(paths.begin(), paths.end(),
                                        [](const MpathPath& p) { return p.dm_state == "active"; }));
}

const MpathPath* MpathMap::PathOf(const std::string& dev) const {
  for (const MpathPath& p : paths) {
    if (!dev.empty() && p.dev == dev) {
      return &p;
    }
  }
  return nullptr;
}

const MpathMap* MultipathState::MapOfDisk(const std::string& dev) const {
  for (const MpathMap& m : maps) {
    if (m.PathOf(dev) != nullptr) {
      return &m;
    }
  }
  return nullptr;
}

}  // namespace iscsictl
