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

#include "base/fd.h"
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

  // Atomic writes (temp file 0600, O_EXCL, random name, in <root>/.iscsictl-tmp; fsync,
  // rename, fsync of the directory); directories are created 0700. Every step is relative
  // to a directory opened below the root without following links: a target, portal or iface
  // name that is not a plain file name, a symlink or file planted where a directory belongs,
  // and a key or value with a control character (a forged record line) are refused. A node record goes in the directory layout; where the portal is an older
  // layout's file, that record moves into the directory first (under its own iface), so
  // nothing another tool wrote is lost. Return an error message, or nullopt on success.
  std::optional<std::string> WriteIface(const IfaceRecord& record) const;
  std::optional<std::string> WriteNode(const NodeRecord& record) const;
  // Removing a record that is already gone succeeds; empty parent directories go too.
  // A node record is removed in whichever layout holds it.
  std::optional<std::string> DeleteIface(const std::string& name) const;
  std::optional<std::string> DeleteNode(const NodeKey& key) const;

  // Removes what a crash left in the temporary directory (<root>/.iscsictl-tmp, which
  // open-iscsi never reads). Call with the lock held: nobody else writes then.
  std::optional<std::string> RemoveTemporaryFiles() const;

  std::string IfacePath(const std::string& name) const;
  std::string NodePath(const NodeKey& key) const;  // the directory layout's path

 private:
  std::string PortalPath(const NodeKey& key) const;
  std::optional<std::string> MovePortalFileIntoDir(int tmp, int target, const NodeKey& key) const;
  // Opens the root (created 0700 if missing) and, when `tmp` is given, its temporary directory.
  std::optional<std::string> OpenRoot(Fd& root, Fd* tmp) const;
  std::string root_;
};

}  // namespace iscsictl
