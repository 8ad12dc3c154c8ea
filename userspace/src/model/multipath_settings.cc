#include "model/multipath_settings.h"

namespace iscsictl {

std::string MultipathdSection::Get(const std::string& key) const {
  auto it = keys.find(key);
  return it == keys.end() ? "" : it->second;
}

std::string MultipathdSettings::Effective(const MultipathdSection* device,
                                          const std::string& key) const {
  if (std::string v = overrides.Get(key); !v.empty()) {
    return v;
  }
  if (device != nullptr) {
    if (std::string v = device->Get(key); !v.empty()) {
      return v;
    }
  }
  return defaults.Get(key);
}

}  // namespace iscsictl
