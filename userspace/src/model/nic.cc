#include "model/nic.h"

#include "base/names.h"

namespace iscsictl {

NicFacts NicInfo::Facts() const {
  return NicFacts{name, mac, driver, addresses, carrier};
}

std::vector<NicFacts> FactsOf(const std::vector<NicInfo>& nics) {
  std::vector<NicFacts> facts;
  facts.reserve(nics.size());
  for (const NicInfo& n : nics) {
    facts.push_back(n.Facts());
  }
  return facts;
}

const NicInfo* FindNic(const std::vector<NicInfo>& nics, const std::string& name) {
  for (const NicInfo& n : nics) {
    if (n.name == name) {
      return &n;
    }
  }
  return nullptr;
}

const NicInfo* FindNicByMac(const std::vector<NicInfo>& nics, const std::string& mac) {
  if (!IsMacAddress(mac)) {
    return nullptr;
  }
  std::string m = NormalizeMac(mac);
  for (const NicInfo& n : nics) {
    if (NormalizeMac(n.mac) == m) {
      return &n;
    }
  }
  return nullptr;
}

const NicInfo* FindNicByNameOrMac(const std::vector<NicInfo>& nics, const std::string& what) {
  const NicInfo* n = FindNic(nics, what);
  return n != nullptr ? n : FindNicByMac(nics, what);
}

}  // namespace iscsictl
