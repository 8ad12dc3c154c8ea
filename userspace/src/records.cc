#include "records.h"

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

#include "atomic_file.h"
#include "import.h"
#include "names.h"
#include "params.h"

namespace iscsictl {
namespace {

// The open-iscsi release whose record layout iscsictl writes.
constexpr std::string_view kRecordVersion = "2.1.8";

std::string Text(const std::string& v) {
  return v;
}
std::string Text(int64_t v) {
  return std::to_string(v);
}
std::string Text(bool v) {
  return v ? "Yes" : "No";
}

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

std::string OwnedIfaceName(std::string_view mac) {
  std::string name(kOwnedIfacePrefix);
  for (char c : NormalizeMac(mac)) {
    if (c != ':') {
      name += c;
    }
  }
  return name;
}

bool IsOwnedIface(std::string_view iface_name) {
  return iface_name.substr(0, kOwnedIfacePrefix.size()) == kOwnedIfacePrefix &&
         iface_name.size() > kOwnedIfacePrefix.size();
}

std::string NodeKey::PortalArg() const {
  if (address.find(':') != std::string::npos) {
    return fmt::format("[{}]:{},{}", address, port, tpgt);
  }
  return fmt::format("{}:{},{}", address, port, tpgt);
}

std::string NodeKey::ToString() const {
  return fmt::format("{},{} via {}", target, PortalArg(), iface);
}

RecordFields IfaceFields(std::string_view name, std::string_view mac) {
  RecordFields f;
  f["iface.iscsi_ifacename"] = std::string(name);
  f["iface.transport_name"] = "tcp";
  if (!mac.empty()) {
    f["iface.hwaddress"] = NormalizeMac(mac);
  }
  return f;
}

bool IsSecretKey(std::string_view key) {
  return key == "node.session.auth.password" || key == "node.session.auth.password_in" ||
         key == "discovery.sendtargets.auth.password" ||
         key == "discovery.sendtargets.auth.password_in";
}

RecordFields NodeFields(const DesiredSession& session, const NodeKey& key,
                        const RecordFields& iface, const SecretValues& secrets) {
  RecordFields f;
  f["node.name"] = key.target;
  f["node.tpgt"] = std::to_string(key.tpgt);
  f["node.startup"] = session.startup;
  f["node.leading_login"] = "No";
  f["node.discovery_type"] = "static";
  f["node.discovery_port"] = "0";
  for (const auto& [k, v] : iface) {
    f[k] = v;
  }
  ForEachField(kSessionFields, [&](const auto& field) {
    const auto& value = session.params.*field.member;
    if (!value) {
      return;
    }
    using T = std::decay_t<decltype(*value)>;
    if constexpr (std::is_same_v<T, Secret>) {
      if (value->file.empty()) {
        f[std::string(field.key)] = value->value;
      } else {
        auto it = secrets.find(value->file);
        f[std::string(field.key)] = it == secrets.end() ? "" : it->second;
      }
    } else {
      f[std::string(field.key)] = Text(*value);
    }
  });
  if (!session.conns.empty()) {
    const ConnParams& conn = session.conns.front();
    ForEachField(kConnFields, [&](const auto& field) {
      const auto& value = conn.*field.member;
      if (value) {
        f[std::string(field.key)] = Text(*value);
      }
    });
  }
  // The portal the record lives under is the one it connects to.
  f["node.conn[0].address"] = key.address;
  f["node.conn[0].port"] = std::to_string(key.port);
  return f;
}

std::vector<std::string> ChangedKeys(const RecordFields& want, const RecordFields& have) {
  std::vector<std::string> changed;
  for (const auto& [k, v] : want) {
    auto it = have.find(k);
    if (it == have.end() || it->second != v) {
      changed.push_back(k);
    }
  }
  return changed;
}

std::string RenderRecord(const RecordFields& fields, const std::vector<std::string>& order) {
  std::string out = fmt::format("# BEGIN RECORD {}\n", kRecordVersion);
  auto line = [&](const std::string& k, const std::string& v) {
    out += fmt::format("{} = {}\n", k, v.empty() ? "<empty>" : v);
  };
  for (const std::string& k : order) {
    if (auto it = fields.find(k); it != fields.end()) {
      line(k, it->second);
    }
  }
  for (const auto& [k, v] : fields) {
    if (std::find(order.begin(), order.end(), k) == order.end()) {
      line(k, v);
    }
  }
  out += "# END RECORD\n";
  return out;
}

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
