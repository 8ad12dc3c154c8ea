// The files of open-iscsi's record database below a root (/etc/iscsi):
// <root>/ifaces/<name> and <root>/nodes/<target>/<addr>,<port>,<tpgt>/<iface>.
// Records are written by iscsictl itself (mode 0600, write-temp-and-rename), so a CHAP
// secret never appears in the argv of an iscsiadm call.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "model/records.h"

namespace iscsictl {

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
