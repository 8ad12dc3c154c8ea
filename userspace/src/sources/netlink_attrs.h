// The attributes of the iscsi_iface generic netlink family (kmod/uapi/iscsi_iface_nl.h,
// docs/netlink.md): typed access to a parsed attribute set, and JSON for `monitor`.
#pragma once

#include <linux/netlink.h>
#include <netlink/attr.h>

#include <array>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "iscsi_iface_nl.h"

namespace iscsictl {

// One attribute level (a message's top level or a nest), parsed by attribute id.
class NlAttrs {
 public:
  // The top level of a generic netlink message (false: malformed).
  bool ParseMessage(nlmsghdr* hdr);
  // The inside of a nest attribute.
  bool ParseNested(nlattr* nest);

  bool Has(int id) const { return tb_[id] != nullptr; }
  nlattr* Get(int id) const { return tb_[id]; }
  std::string Str(int id) const;
  std::optional<int> U32(int id) const;  // as int (sids, ports, ...)
  std::optional<int> S32(int id) const;
  std::string Mac(int id) const;  // binary address as "aa:bb:...", "" if absent
  // Any attribute as text, as sysfs would print it (numbers in decimal, addresses as
  // "aa:bb:..."); nullopt if absent or too short for its type.
  std::optional<std::string> Text(int id) const;
  // Every nest of type `id` directly inside `container` (repeated attributes).
  static std::vector<nlattr*> All(nlattr* container, int id);

 private:
  std::array<nlattr*, IIA_A_MAX + 1> tb_{};
};

// The command name of an event ("session_add", ...), "" for others.
std::string NetlinkEventName(int cmd);

// A message or nest as JSON: attribute names as in docs/netlink.md, nests as objects
// (repeated ones as arrays: "conns", "devs").
nlohmann::ordered_json NlAttrsToJson(nlattr* head, int len);

}  // namespace iscsictl
