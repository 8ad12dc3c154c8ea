// open-iscsi's record database (/etc/iscsi) as data: the keys of iface and node records,
// their fields, and which of them are iscsictl's. The files are store/record_store.h's.
//
// Ownership: iscsictl names its iface records `ictl-<mac without colons>` (one per NIC,
// bound by MAC) or `ictl-default` (no binding: the default route). Node records and
// sessions that use such an iface are iscsictl's; everything else is foreign and never
// touched.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace iscsictl {

inline constexpr std::string_view kOwnedIfacePrefix = "ictl-";
inline constexpr std::string_view kDefaultOwnedIface = "ictl-default";

// "ictl-5254000b0001" for MAC "52:54:00:0B:00:01".
std::string OwnedIfaceName(std::string_view mac);
// True for names iscsictl creates.
bool IsOwnedIface(std::string_view iface_name);

// A record's settings, by open-iscsi key.
using RecordFields = std::map<std::string, std::string>;

// A record's "key = value" lines in file order ("<empty>" values as "").
using RecordLines = std::vector<std::pair<std::string, std::string>>;
// The value of `key`, or nullptr.
const std::string* Lookup(const RecordLines& r, std::string_view key);
RecordFields FieldsOf(const RecordLines& r);

// Where a node record lives: nodes/<target>/<address>,<port>,<tpgt>/<iface>.
struct NodeKey {
  std::string target;
  std::string address;
  int port = 3260;
  int tpgt = 1;
  std::string iface;
  auto operator<=>(const NodeKey&) const = default;
  // "iqn...,10.33.0.10:3260,1 via ictl-5254000b0001"
  std::string ToString() const;
  // "10.33.0.10:3260,1" as iscsiadm -p takes it ("[fe80::1]:3260,1" for IPv6).
  std::string PortalArg() const;
};

struct IfaceRecord {
  std::string name;
  RecordFields fields;
};

struct NodeRecord {
  NodeKey key;
  RecordFields fields;
};

// The records under one database root, as read from disk.
struct RecordDb {
  std::map<std::string, IfaceRecord> ifaces;  // by name
  std::map<NodeKey, NodeRecord> nodes;        // only the <addr>,<port>,<tpgt>/<iface> layout
};

// True for keys whose values are secrets (never printed).
bool IsSecretKey(std::string_view key);

}  // namespace iscsictl
