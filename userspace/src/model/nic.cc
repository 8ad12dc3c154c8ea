#include "model/nic.h"

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

}  // namespace iscsictl
