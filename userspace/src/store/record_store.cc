#include "store/record_store.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "base/atomic_file.h"
#include "base/dir.h"
#include "base/numbers.h"
#include "store/record_text.h"

namespace iscsictl {
namespace {

const std::vector<std::string> kNodeOrder = {"node.name",
                                             "node.tpgt",
                                             "node.startup",
                                             "node.leading_login",
                                             "iface.hwaddress",
                                             "iface.iscsi_ifacename",
                                             "iface.transport_name",
                                             "node.discovery_port",
                                             "node.discovery_type"};
const std::vector<std::string> kIfaceOrder = {"iface.iscsi_ifacename", "iface.hwaddress",
                                              "iface.transport_name"};

// Where temporary files wait before their rename: a directory open-iscsi never reads.
const std::string kTempDir = ".iscsictl-tmp";

// Entries of a directory in name order, without iscsictl's temporary files.
std::vector<std::string> Entries(const Dir& dir, std::string_view rel = "") {
  std::vector<std::string> names = dir.List(rel);
  std::erase_if(names,
                [](const std::string& n) { return n.find(".ictl-tmp.") != std::string::npos; });
  std::sort(names.begin(), names.end());
  return names;
}

// "<address>,<port>,<tpgt>", or the older layout's "<address>,<port>" (tpgt -1: unknown).
// Split at the last commas: an address holds none (open-iscsi allows no host name here).
bool ParsePortalName(const std::string& name, NodeKey& key) {
  size_t c2 = name.rfind(',');
  if (c2 == std::string::npos || c2 == 0) {
    return false;
  }
  size_t c1 = name.rfind(',', c2 - 1);
  std::optional<long> port, tpgt;
  if (c1 == std::string::npos || c1 == 0) {
    key.address = name.substr(0, c2);
    port = ParseLong(std::string_view(name).substr(c2 + 1));
    tpgt = -1;
  } else {
    key.address = name.substr(0, c1);
    port = ParseLong(std::string_view(name).substr(c1 + 1, c2 - c1 - 1));
    tpgt = ParseLong(std::string_view(name).substr(c2 + 1));
  }
  if (!port || !tpgt || *port < 0 || *port > 65535) {
    return false;
  }
  key.port = static_cast<int>(*port);
  key.tpgt = static_cast<int>(*tpgt);
  return true;
}

// The iface an older layout's record names (open-iscsi's "default" when none).
std::string IfaceOf(const RecordLines& lines) {
  const std::string* name = Lookup(lines, "iface.iscsi_ifacename");
  return name != nullptr && !name->empty() ? *name : "default";
}

// Walks the database: every readable record once, in path order.
class Walk {
 public:
  Walk(const std::string& root, std::vector<std::string>* warnings)
      : root_(root), dir_(Dir::OpenRoot(root)), warnings_(warnings) {}

  template <class OnIface>
  void Ifaces(OnIface&& on_iface) {
    for (const std::string& name : Entries(dir_, "ifaces")) {
      if (std::optional<RecordLines> lines = Record("ifaces/" + name)) {
        on_iface(name, std::move(*lines));
      }
    }
  }

  template <class OnNode>
  void Nodes(OnNode&& on_node) {
    for (const std::string& target : Entries(dir_, "nodes")) {
      for (const std::string& portal : Entries(dir_, "nodes/" + target)) {
        NodeKey key;
        key.target = target;
        std::string rel = "nodes/" + target + "/" + portal;
        if (!ParsePortalName(portal, key)) {
          continue;  // not a record of open-iscsi's
        }
        if (dir_.IsDirectory(rel)) {
          for (const std::string& iface : Entries(dir_, rel)) {
            key.iface = iface;
            if (std::optional<RecordLines> lines = Record(rel + "/" + iface)) {
              on_node(key, std::move(*lines));
            }
          }
        } else if (std::optional<RecordLines> lines = Record(rel)) {
          key.iface = IfaceOf(*lines);
          if (key.tpgt < 0) {
            key.tpgt = static_cast<int>(ParseLong(Value(*lines, "node.tpgt")).value_or(-1));
          }
          on_node(key, std::move(*lines));
        }
      }
    }
  }

 private:
  static std::string Value(const RecordLines& lines, std::string_view key) {
    const std::string* v = Lookup(lines, key);
    return v != nullptr ? *v : "";
  }

  std::optional<RecordLines> Record(const std::string& rel) {
    std::optional<std::string> text = dir_.ReadFile(rel);
    if (!text) {
      if (warnings_ != nullptr) {
        warnings_->push_back("cannot read " + root_ + "/" + rel);
      }
      return std::nullopt;
    }
    return ParseRecord(*text);
  }

  const std::string& root_;
  Dir dir_;
  std::vector<std::string>* warnings_;
};

// Removes `name` in `dir` (a file, or with AT_REMOVEDIR an empty directory); gone already
// and, for a directory, not empty are fine.
std::optional<std::string> UnlinkAt(int dir, const std::string& name, int flags,
                                    const std::string& shown) {
  if (unlinkat(dir, name.c_str(), flags) != 0 && errno != ENOENT && errno != ENOTEMPTY &&
      errno != EEXIST) {
    return fmt::format("cannot remove {}: {}", shown, std::strerror(errno));
  }
  return std::nullopt;
}

std::string PortalName(const NodeKey& key) {
  return fmt::format("{},{},{}", key.address, key.port, key.tpgt);
}

// The record's path components must each stay in their directory: the second wall behind
// the name checks of config/ and discover (a name with '/', "..", NUL never gets here).
std::optional<std::string> CheckNodeKey(const NodeKey& key) {
  if (!IsSafePathComponent(key.target) || !IsSafePathComponent(PortalName(key)) ||
      !IsSafePathComponent(key.iface)) {
    return std::string(
        "refusing a node record whose target, portal or iface name is not a plain file name "
        "(\"..\", '/', NUL or a control character)");
  }
  return std::nullopt;
}

}  // namespace

bool RecordStore::HasNodes() const {
  return Dir::OpenRoot(root_).IsDirectory("nodes");
}

RecordDb RecordStore::Read(std::vector<std::string>* warnings) const {
  RecordDb db;
  Walk walk(root_, warnings);
  walk.Ifaces([&](const std::string& name, const RecordLines& lines) {
    db.ifaces[name] = IfaceRecord{name, FieldsOf(lines)};
  });
  walk.Nodes([&](const NodeKey& key, const RecordLines& lines) {
    db.nodes.emplace(key, NodeRecord{key, FieldsOf(lines)});
  });
  return db;
}

RecordFiles RecordStore::ReadFiles(std::vector<std::string>* warnings) const {
  RecordFiles files;
  Walk walk(root_, warnings);
  walk.Ifaces(
      [&](const std::string& name, RecordLines lines) { files.ifaces[name] = std::move(lines); });
  walk.Nodes([&](const NodeKey&, RecordLines lines) { files.nodes.push_back(std::move(lines)); });
  return files;
}

std::string RecordStore::IfacePath(const std::string& name) const {
  return root_ + "/ifaces/" + name;
}

std::string RecordStore::PortalPath(const NodeKey& key) const {
  return fmt::format("{}/nodes/{}/{}", root_, key.target, PortalName(key));
}

std::string RecordStore::NodePath(const NodeKey& key) const {
  return PortalPath(key) + "/" + key.iface;
}

std::optional<std::string> RecordStore::OpenRoot(Fd& root, Fd* tmp) const {
  if (auto e = MakeDirs(root_, 0700)) {
    return e;
  }
  root.Reset(open(root_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!root.Valid()) {
    return fmt::format("cannot open {}: {}", root_, std::strerror(errno));
  }
  if (tmp == nullptr) {
    return std::nullopt;
  }
  return OpenDirsAt(root.get(), {kTempDir}, true, 0700, root_, *tmp);
}

std::optional<std::string> RecordStore::RemoveTemporaryFiles() const {
  Fd root, tmp;
  if (auto e = OpenRoot(root, &tmp)) {
    return e;
  }
  for (const std::string& name : Dir::Open(Dir(), root_ + "/" + kTempDir).List()) {
    if (auto e = UnlinkAt(tmp.get(), name, 0, root_ + "/" + kTempDir + "/" + name)) {
      return e;
    }
  }
  return std::nullopt;
}

std::optional<std::string> RecordStore::WriteIface(const IfaceRecord& record) const {
  if (!IsSafePathComponent(record.name)) {
    return std::string(
        "refusing an iface record whose name is not a plain file name (\"..\", '/', NUL or a "
        "control character)");
  }
  if (auto e = RecordFieldsError(record.fields)) {
    return fmt::format("iface record {}: {}", record.name, *e);
  }
  Fd root, tmp, ifaces;
  if (auto e = OpenRoot(root, &tmp)) {
    return e;
  }
  if (auto e = OpenDirsAt(root.get(), {"ifaces"}, true, 0700, root_, ifaces)) {
    return e;
  }
  return WriteFileAt(tmp.get(), ifaces.get(), record.name,
                     RenderRecord(record.fields, kIfaceOrder), 0600, IfacePath(record.name));
}

// <portal> (a file) -> <portal>/<its iface>: the record stays, in the directory layout. The
// file waits in the temporary directory while its name becomes a directory.
std::optional<std::string> RecordStore::MovePortalFileIntoDir(int tmp, int target,
                                                              const NodeKey& key) const {
  std::string portal = PortalName(key);
  std::string shown = PortalPath(key);
  Fd file(openat(target, portal.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK));
  std::string text;
  char buf[16384];
  ssize_t n = 0;
  while (file.Valid() && text.size() < (1 << 20) && (n = read(file.get(), buf, sizeof buf)) > 0) {
    text.append(buf, static_cast<size_t>(n));
  }
  if (!file.Valid() || n < 0) {
    return fmt::format("cannot read {}", shown);
  }
  std::string iface = IfaceOf(ParseRecord(text));
  if (!IsSafePathComponent(iface)) {
    return fmt::format("{} names an iface that is not a plain file name", shown);
  }
  std::string aside = RandomTempName(".ictl-move.");
  if (renameat(target, portal.c_str(), tmp, aside.c_str()) != 0) {
    return fmt::format("cannot move {} aside: {}", shown, std::strerror(errno));
  }
  Fd dir;
  std::optional<std::string> e = OpenDirsAt(target, {portal}, true, 0700, shown, dir);
  if (!e && renameat(tmp, aside.c_str(), dir.get(), iface.c_str()) != 0) {
    e = fmt::format("cannot move {} to {}/{}: {}", shown, shown, iface, std::strerror(errno));
  }
  if (e) {
    unlinkat(target, portal.c_str(), AT_REMOVEDIR);
    renameat(tmp, aside.c_str(), target, portal.c_str());  // put it back
    return e;
  }
  fsync(dir.get());
  fsync(target);
  return std::nullopt;
}

std::optional<std::string> RecordStore::WriteNode(const NodeRecord& record) const {
  const NodeKey& key = record.key;
  if (auto e = CheckNodeKey(key)) {
    return e;
  }
  if (auto e = RecordFieldsError(record.fields)) {
    return fmt::format("node record {}: {}", NodePath(key), *e);
  }
  Fd root, tmp, target, portal;
  if (auto e = OpenRoot(root, &tmp)) {
    return e;
  }
  if (auto e = OpenDirsAt(root.get(), {"nodes", key.target}, true, 0700, root_, target)) {
    return e;
  }
  struct stat st {};
  if (fstatat(target.get(), PortalName(key).c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 &&
      S_ISREG(st.st_mode)) {
    if (auto e = MovePortalFileIntoDir(tmp.get(), target.get(), key)) {
      return e;
    }
  }
  if (auto e = OpenDirsAt(target.get(), {PortalName(key)}, true, 0700,
                          root_ + "/nodes/" + key.target, portal)) {
    return e;
  }
  return WriteFileAt(tmp.get(), portal.get(), key.iface, RenderRecord(record.fields, kNodeOrder),
                     0600, NodePath(key));
}

std::optional<std::string> RecordStore::DeleteIface(const std::string& name) const {
  if (!IsSafePathComponent(name)) {
    return std::string("refusing to remove an iface record whose name is not a plain file name");
  }
  Fd root, ifaces;
  bool missing = false;
  if (auto e = OpenRoot(root, nullptr)) {
    return e;
  }
  if (auto e = OpenDirsAt(root.get(), {"ifaces"}, false, 0700, root_, ifaces, &missing)) {
    return missing ? std::nullopt : e;
  }
  return UnlinkAt(ifaces.get(), name, 0, IfacePath(name));
}

std::optional<std::string> RecordStore::DeleteNode(const NodeKey& key) const {
  if (auto e = CheckNodeKey(key)) {
    return e;
  }
  Fd root, nodes, target;
  bool missing = false;
  if (auto e = OpenRoot(root, nullptr)) {
    return e;
  }
  if (auto e = OpenDirsAt(root.get(), {"nodes"}, false, 0700, root_, nodes, &missing)) {
    return missing ? std::nullopt : e;
  }
  std::string target_shown = root_ + "/nodes/" + key.target;
  if (auto e = OpenDirsAt(nodes.get(), {key.target}, false, 0700, root_ + "/nodes", target,
                          &missing)) {
    return missing ? std::nullopt : e;
  }
  std::string portal = PortalName(key);
  std::string old_portal = fmt::format("{},{}", key.address, key.port);
  Dir target_dir = Dir::Open(Dir(), target_shown);
  for (const std::string& file : {portal, old_portal}) {  // the older layout's portal files
    std::optional<std::string> text = target_dir.ReadFile(file);
    if (target_dir.IsRegularFile(file) && text && IfaceOf(ParseRecord(*text)) == key.iface) {
      if (auto e = UnlinkAt(target.get(), file, 0, target_shown + "/" + file)) {
        return e;
      }
      return UnlinkAt(nodes.get(), key.target, AT_REMOVEDIR, target_shown);
    }
  }
  Fd portal_dir;
  if (auto e = OpenDirsAt(target.get(), {portal}, false, 0700, target_shown, portal_dir,
                          &missing)) {
    return missing ? std::nullopt : e;
  }
  if (auto e = UnlinkAt(portal_dir.get(), key.iface, 0, NodePath(key))) {
    return e;
  }
  if (auto e = UnlinkAt(target.get(), portal, AT_REMOVEDIR, PortalPath(key))) {
    return e;
  }
  return UnlinkAt(nodes.get(), key.target, AT_REMOVEDIR, target_shown);
}

}  // namespace iscsictl
