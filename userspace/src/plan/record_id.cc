#include "plan/record_id.h"

#include <fmt/format.h>

#include "base/names.h"

namespace iscsictl {

std::string RecordId(const RecordIdParts& p) {
  std::string mac = NormalizeMac(p.mac);
  if (p.transport.empty() || p.transport == "tcp") {
    return fmt::format("{},{},{},sw,eth,{}", p.target, p.address, p.port, mac);
  }
  return fmt::format("{},{},{},{},pci/{},{}", p.target, p.address, p.port, p.transport, p.pci_slot,
                     mac);
}

}  // namespace iscsictl
