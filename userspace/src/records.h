// open-iscsi's record database (/etc/iscsi): the iface and node records iscsictl
// owns, what they should contain, and the files that hold them.
//
// Ownership: iscsictl names its iface records `ictl-<mac without colons>` (one per NIC,
// bound by MAC) or `ictl-default` (no binding: the default route). Node records and
// sessions that use such an iface are iscsictl's; everything else is foreign and never
// touched. Records are written by iscsictl itself (mode 0600, write-temp-and-rename), so a
// CHAP secret never appears in the argv of an iscsiadm call.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config.h"

namespace iscsictl {

inline constexpr std::string_view kOwnedIfacePrefix = "ictl-";
inline constexpr std::string_view kDefaultOwnedIface = "ictl-default";

// "ictl-5254000b0001" for MAC "52:54:00:0B:00:01".
std::string OwnedIfaceName(std::string_view mac);
// True for names iscsictl creates.
bool IsOwnedIface(std::string_view iface_name);

// A record's settings, by open-iscsi key.
using RecordFields = std::map<std::string, std::string>;

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

// The iface record fields for a NIC-bound iface (mac non-empty) or an unbound one.
RecordFields IfaceFields(std::string_view name, std::string_view mac);

// Secret values by reference: Secret::file paths (and "" for none) to their content.
using SecretValues = std::map<std::string, std::string>;

// The node record fields for a desired session through `iface` (its fields are copied in,
// as iscsiadm does). Secrets given by file are looked up in `secrets`; a missing one
// yields an empty value. Pure.
RecordFields NodeFields(const DesiredSession& session, const NodeKey& key,
                        const RecordFields& iface, const SecretValues& secrets);

// True for keys whose values are secrets (never printed).
bool IsSecretKey(std::string_view key);

// Keys of `want` whose value differs in (or is missing from) `have`.
std::vector<std::string> ChangedKeys(const RecordFields& want, const RecordFields& have);

// The text of a record file ("# BEGIN RECORD 2.1.8" ... "# END RECORD").
std::string RenderRecord(const RecordFields& fields, const std::vector<std::string>& order = {});

// The file-system side: <root>/ifaces/<name>, <root>/nodes/<target>/<addr>,<port>,<tpgt>/<iface>.
class RecordStore {
 public:
  explicit RecordStore(std::string root) : root_(std::move(root)) {}
  const std::string& root() const { return root_; }

  // Reads every iface record and every node record in the tpgt layout. Unreadable files
  // are skipped; `warnings` (if given) says which.
  RecordDb Read(std::vector<std::string>* warnings = nullptr) const;

  // Atomic writes (temp file 0600 in the same directory, fsync, rename); directories are
  // created 0700. Return an error message, or nullopt on success.
  std::optional<std::string> WriteIface(const IfaceRecord& record) const;
  std::optional<std::string> WriteNode(const NodeRecord& record) const;
  // Removing a record that is already gone succeeds; empty parent directories go too.
  std::optional<std::string> DeleteIface(const std::string& name) const;
  std::optional<std::string> DeleteNode(const NodeKey& key) const;

  std::string IfacePath(const std::string& name) const;
  std::string NodePath(const NodeKey& key) const;

 private:
  std::string root_;
};

}  // namespace iscsictl
