// The files of open-iscsi's record database below a root (/etc/iscsi), both layouts:
//   <root>/ifaces/<name>
//   <root>/nodes/<target>/<addr>,<port>,<tpgt>/<iface>   (open-iscsi since 2.0-868)
//   <root>/nodes/<target>/<addr>,<port>[,<tpgt>]         (older: the portal is the file; its
//                                                         iface is inside, else "default")
// The one reader and writer of that database: `apply` (through exec/) reads records and
// writes iscsictl's own, `import` reads them all. Records are written by iscsictl itself
// (mode 0600, write-temp-and-rename), so a CHAP secret never appears in an iscsiadm argv.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/records.h"

namespace iscsictl {

// Every record's lines in file order (what `import` converts), node records in path order.
struct RecordFiles {
  std::vector<RecordLines> nodes;
  std::map<std::string, RecordLines> ifaces;
};

class RecordStore {
 public:
  explicit RecordStore(std::string root) : root_(std::move(root)) {}
  const std::string& root() const { return root_; }

  // Whether <root>/nodes is a directory (there is a database to read).
  bool HasNodes() const;

  // Every iface and node record, both layouts. Unreadable files are skipped; `warnings`
  // (if given) says which.
  RecordDb Read(std::vector<std::string>* warnings = nullptr) const;
  RecordFiles ReadFiles(std::vector<std::string>* warnings = nullptr) const;

  // Atomic writes (temp file 0600 in the same directory, fsync, rename); directories are
  // created 0700. A node record goes in the directory layout; where the portal is an older
  // layout's file, that record moves into the directory first (under its own iface), so
  // nothing another tool wrote is lost. Return an error message, or nullopt on success.
  std::optional<std::string> WriteIface(const IfaceRecord& record) const;
  std::optional<std::string> WriteNode(const NodeRecord& record) const;
  // Removing a record that is already gone succeeds; empty parent directories go too.
  // A node record is removed in whichever layout holds it.
  std::optional<std::string> DeleteIface(const std::string& name) const;
  std::optional<std::string> DeleteNode(const NodeKey& key) const;

  std::string IfacePath(const std::string& name) const;
  std::string NodePath(const NodeKey& key) const;  // the directory layout's path

 private:
  std::string PortalPath(const NodeKey& key) const;
  std::optional<std::string> MovePortalFileIntoDir(const NodeKey& key) const;
  std::string root_;
};

}  // namespace iscsictl
