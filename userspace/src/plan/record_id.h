// Connection record IDs as the original request proposed:
//   software iSCSI: <target>,<ip>,<port>,sw,eth,<MAC>
//   offload HBA:    <target>,<ip>,<port>,<driver>,pci/<slot>,<MAC>
// MACs are written lower-case; IPv6 addresses as given (no brackets).
#pragma once

#include <string>
#include <string_view>

namespace iscsictl {

struct RecordIdParts {
  std::string_view target;
  std::string_view address;
  int port = 3260;
  std::string_view transport;  // "tcp" for software iSCSI, else the offload driver
  std::string_view pci_slot;   // offload only, e.g. "0000:03:00.1"
  std::string_view mac;
};

std::string RecordId(const RecordIdParts& parts);

}  // namespace iscsictl
