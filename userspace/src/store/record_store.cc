#include "store/record_store.h"

#include <dirent.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <sstream>

#include "base/atomic_file.h"
#include "store/record_text.h"

namespace iscsictl {
namespace {

std::vector<std::string> ListDir(const std::string& path) {
  std::vector<std::string> names;
  DIR* d = opendir(path.c_str());
  if (d == nullptr) {
    return names;
  }
  while (dirent* e = readdir(d)) {
    std::string name = e->d_name;
    if (name != "." && name != ".." && name.find(".ictl-tmp.") == std::string::npos) {
      names.push_back(name);
    }
  }
  closedir(d);
  return names;
}

bool IsDir(const std::string& path) {
  struct stat st {};
  return stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

std::optional<RecordFields> ReadFields(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) {
    return std::nullopt;
  }
  std::stringstream text;
  text << f.rdbuf();
  RecordFields fields;
  for (auto& [k, v] : ParseRecord(text.str())) {
    fields[k] = v;
  }
  return fields;
}

// "<address>,<port>,<tpgt>" (the address may hold commas only if it is a host name, which
// open-iscsi does not allow here: split at the last two commas).
bool ParsePortalDir(const std::string& name, NodeKey& key) {
  size_t c2 = name.rfind(',');
  if (c2 == std::string::npos || c2 == 0) {
    return false;
  }
  size_t c1 = name.rfind(',', c2 - 1);
  if (c1 == std::string::npos || c1 == 0) {
    return false;
  }
  auto number = [](std::string_view s, int& out) {
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc() && p == s.data() + s.size();
  };
  key.address = name.substr(0, c1);
  std::string_view rest(name);
  return number(rest.substr(c1 + 1, c2 - c1 - 1), key.port) &&
         number(rest.substr(c2 + 1), key.tpgt);
}

std::optional<std::string> RemoveIfEmpty(const std::string& dir) {
  if (rmdir(dir.c_str()) != 0 && errno != ENOTEMPTY && errno != EEXIST && errno != ENOENT) {
    return fmt::format("cannot remove directory {}: {}", dir, std::strerror(errno));
  }
  return std::nullopt;
}

}  // namespace

std::string RecordStore::IfacePath(const std::string& name) const {
  return root_ + "/ifaces/" + name;
}

std::string RecordStore::NodePath(const NodeKey& key) const {
  return fmt::format("{}/nodes/{}/{},{},{}/{}", root_, key.target, key.address, key.port, key.tpgt,
                     key.iface);
}

RecordDb RecordStore::Read(std::vector<std::string>* warnings) const {
  RecordDb db;
  auto warn = [&](const std::string& w) {
    if (warnings != nullptr) {
      warnings->push_back(w);
    }
  };
  for (const std::string& name : ListDir(root_ + "/ifaces")) {
    if (auto fields = ReadFields(IfacePath(name))) {
      db.ifaces[name] = IfaceRecord{name, std::move(*fields)};
    } else {
      warn("cannot read " + IfacePath(name));
    }
  }
  std::string nodes = root_ + "/nodes";
  for (const std::string& target : ListDir(nodes)) {
    for (const std::string& portal : ListDir(nodes + "/" + target)) {
      std::string dir = nodes + "/" + target + "/" + portal;
      NodeKey key;
      key.target = target;
      if (!IsDir(dir) || !ParsePortalDir(portal, key)) {
        continue;  // the old layout (a file per portal) is never iscsictl's
      }
      for (const std::string& iface : ListDir(dir)) {
        key.iface = iface;
        if (auto fields = ReadFields(dir + "/" + iface)) {
          db.nodes[key] = NodeRecord{key, std::move(*fields)};
        } else {
          warn("cannot read " + dir + "/" + iface);
        }
      }
    }
  }
  return db;
}

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
}  // namespace

std::optional<std::string> RecordStore::WriteIface(const IfaceRecord& record) const {
  if (auto e = MakeDirs(root_ + "/ifaces", 0700)) {
    return e;
  }
  return WriteFileAtomic(IfacePath(record.name), RenderRecord(record.fields, kIfaceOrder), 0600);
}

std::optional<std::string> RecordStore::WriteNode(const NodeRecord& record) const {
  std::string path = NodePath(record.key);
  if (auto e = MakeDirs(path.substr(0, path.rfind('/')), 0700)) {
    return e;
  }
  return WriteFileAtomic(path, RenderRecord(record.fields, kNodeOrder), 0600);
}

std::optional<std::string> RecordStore::DeleteIface(const std::string& name) const {
  std::string path = IfacePath(name);
  if (unlink(path.c_str()) != 0 && errno != ENOENT) {
    return fmt::format("cannot remove {}: {}", path, std::strerror(errno));
  }
  return std::nullopt;
}

std::optional<std::string> RecordStore::DeleteNode(const NodeKey& key) const {
  std::string path = NodePath(key);
  if (unlink(path.c_str()) != 0 && errno != ENOENT) {
    return fmt::format("cannot remove {}: {}", path, std::strerror(errno));
  }
  std::string portal_dir = path.substr(0, path.rfind('/'));
  if (auto e = RemoveIfEmpty(portal_dir)) {
    return e;
  }
  return RemoveIfEmpty(portal_dir.substr(0, portal_dir.rfind('/')));
}

}  // namespace iscsictl
