#include "store/record_store.h"

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

std::optional<std::string> Unlink(const std::string& path) {
  if (unlink(path.c_str()) != 0 && errno != ENOENT) {
    return fmt::format("cannot remove {}: {}", path, std::strerror(errno));
  }
  return std::nullopt;
}

std::optional<std::string> RemoveIfEmpty(const std::string& dir) {
  if (rmdir(dir.c_str()) != 0 && errno != ENOTEMPTY && errno != EEXIST && errno != ENOENT) {
    return fmt::format("cannot remove directory {}: {}", dir, std::strerror(errno));
  }
  return std::nullopt;
}

std::string Parent(const std::string& path) {
  return path.substr(0, path.rfind('/'));
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
  return fmt::format("{}/nodes/{}/{},{},{}", root_, key.target, key.address, key.port, key.tpgt);
}

std::string RecordStore::NodePath(const NodeKey& key) const {
  return PortalPath(key) + "/" + key.iface;
}

std::optional<std::string> RecordStore::WriteIface(const IfaceRecord& record) const {
  if (auto e = MakeDirs(root_ + "/ifaces", 0700)) {
    return e;
  }
  return WriteFileAtomic(IfacePath(record.name), RenderRecord(record.fields, kIfaceOrder), 0600);
}

// <portal> (a file) -> <portal>/<its iface>: the record stays, in the directory layout.
std::optional<std::string> RecordStore::MovePortalFileIntoDir(const NodeKey& key) const {
  std::string portal = PortalPath(key);
  Dir target = Dir::OpenRoot(Parent(portal));
  std::string name = portal.substr(portal.rfind('/') + 1);
  std::optional<std::string> text = target.ReadFile(name);
  if (!text) {
    return fmt::format("cannot read {}", portal);
  }
  std::string tmp = fmt::format("{}.ictl-tmp.{}", portal, getpid());
  if (rename(portal.c_str(), tmp.c_str()) != 0) {
    return fmt::format("cannot move {} aside: {}", portal, std::strerror(errno));
  }
  std::string into = portal + "/" + IfaceOf(ParseRecord(*text));
  if (mkdir(portal.c_str(), 0700) != 0 || rename(tmp.c_str(), into.c_str()) != 0) {
    std::string why = fmt::format("cannot move {} to {}: {}", portal, into, std::strerror(errno));
    rmdir(portal.c_str());
    rename(tmp.c_str(), portal.c_str());  // put it back
    return why;
  }
  return std::nullopt;
}

std::optional<std::string> RecordStore::WriteNode(const NodeRecord& record) const {
  std::string portal = PortalPath(record.key);
  if (Dir::OpenRoot(root_).IsRegularFile(portal.substr(root_.size() + 1))) {
    if (auto e = MovePortalFileIntoDir(record.key)) {
      return e;
    }
  }
  if (auto e = MakeDirs(portal, 0700)) {
    return e;
  }
  return WriteFileAtomic(NodePath(record.key), RenderRecord(record.fields, kNodeOrder), 0600);
}

std::optional<std::string> RecordStore::DeleteIface(const std::string& name) const {
  return Unlink(IfacePath(name));
}

std::optional<std::string> RecordStore::DeleteNode(const NodeKey& key) const {
  std::string portal = PortalPath(key);
  Dir root = Dir::OpenRoot(root_);
  std::string rel = portal.substr(root_.size() + 1);
  std::string rel_old = fmt::format("nodes/{}/{},{}", key.target, key.address, key.port);
  for (const std::string& file : {rel, rel_old}) {  // the older layout's portal files
    std::optional<std::string> text = root.ReadFile(file);
    if (root.IsRegularFile(file) && text && IfaceOf(ParseRecord(*text)) == key.iface) {
      if (auto e = Unlink(root_ + "/" + file)) {
        return e;
      }
      return RemoveIfEmpty(Parent(portal));
    }
  }
  if (auto e = Unlink(NodePath(key))) {
    return e;
  }
  if (auto e = RemoveIfEmpty(portal)) {
    return e;
  }
  return RemoveIfEmpty(Parent(portal));
}

}  // namespace iscsictl
