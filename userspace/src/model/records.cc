#include "model/records.h"

#include <fmt/format.h>

#include "base/names.h"
#include "base/portal.h"

namespace iscsictl {

std::string OwnedIfaceName(std::string_view mac) {
  std::string name(kOwnedIfacePrefix);
  for (char c : NormalizeMac(mac)) {
    if (c != ':') {
      name += c;
    }
  }
  return name;
}

bool IsOwnedIface(std::string_view iface_name) {
  return iface_name.substr(0, kOwnedIfacePrefix.size()) == kOwnedIfacePrefix &&
         iface_name.size() > kOwnedIfacePrefix.size();
}

const std::string* Lookup(const RecordLines& r, std::string_view key) {
  for (const auto& [k, v] : r) {
    if (k == key) {
      return &v;
    }
  }
  return nullptr;
}

RecordFields FieldsOf(const RecordLines& r) {
  RecordFields fields;
  for (const auto& [k, v] : r) {
    fields[k] = v;
  }
  return fields;
}

std::string NodeKey::PortalArg() const {
  return fmt::format("{},{}", FormatPortal(address, port), tpgt);
}

std::string NodeKey::ToString() const {
  return fmt::format("{},{} via {}", target, PortalArg(), iface);
}

bool IsSecretKey(std::string_view key) {
  return key == "node.session.auth.password" || key == "node.session.auth.password_in" ||
         key == "discovery.sendtargets.auth.password" ||
         key == "discovery.sendtargets.auth.password_in";
}

}  // namespace iscsictl
