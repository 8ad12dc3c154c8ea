#include "sources/sysfs_reader.h"

#include <algorithm>
#include <filesystem>
#include <string_view>
#include <utility>

#include "base/dir.h"
#include "base/numbers.h"
#include "model/live_fields.h"
#include "sources/pci_path.h"

namespace iscsictl {
namespace {

namespace fs = std::filesystem;

// Path (relative to the root) of the device a class entry links to.
std::string ResolveClassLink(const Dir& classdir, const std::string& cls, const std::string& name) {
  std::string link = classdir.ReadLink(name);
  if (link.empty()) {
    return cls + "/" + name;  // not a link: a real directory (flat fixtures)
  }
  if (link.front() == '/') {
    return fs::path(link).relative_path().lexically_normal().string();
  }
  return (fs::path(cls) / link).lexically_normal().string();
}

// Reads the attributes `fields` name from `dir`, each once. Where the object has module
// attributes, whether the first one exists says whether the module's are there at all.
template <class S, size_t N>
void ReadSysfsFields(const Dir& dir, S& obj, const std::array<LiveField<S>, N>& fields) {
  const LiveField<S>* probe = nullptr;
  std::optional<std::string> probed;
  if constexpr (requires { obj.has_module_attrs; }) {
    auto it = std::find_if(fields.begin(), fields.end(), [](const auto& f) { return f.module; });
    probe = &*it;
    probed = dir.Read(probe->sysfs, &obj.has_module_attrs);
  }
  FillLiveFields(obj, fields, [&](const LiveField<S>& f) -> std::optional<std::string> {
    if (&f == probe) {
      return probed;
    }
    return f.sysfs.empty() ? std::nullopt : dir.Read(f.sysfs);
  });
}

LiveHost ReadHost(const Dir& root, const Dir& classdir, const std::string& name) {
  std::string path = ResolveClassLink(classdir, "sys/class/iscsi_host", name);
  Dir cls = Dir::Open(root, path);
  LiveHost h;
  h.host_no = NumberAfter(name, "host");
  ReadSysfsFields(cls, h, kHostFields);
  // <host device>/iscsi_host/hostN -> <host device>/scsi_host/hostN/proc_name
  h.driver = cls.Read("../../scsi_host/" + name + "/proc_name").value_or("");
  h.pci_slot = LastPciComponent(fs::path(path).parent_path().parent_path().string());
  return h;
}

LiveConnection ReadConnection(const Dir& sessiondev, const std::string& name) {
  Dir c = Dir::Open(sessiondev, name + "/iscsi_connection/" + name);
  LiveConnection conn;
  size_t colon = name.find(':');
  if (colon != std::string::npos) {
    conn.cid = static_cast<int>(ParseLong(name.substr(colon + 1)).value_or(0));
  }
  ReadSysfsFields(c, conn, kConnectionFields);
  // The kernel's own attributes (kmod/upstream's series): they win over the module's. A
  // connection without a socket has them but cannot say (ENOTCONN): nothing is known then.
  if (std::optional<std::string> netdev = c.Read("local_netdev", &conn.has_kernel_attrs);
      conn.has_kernel_attrs) {
    conn.iface = netdev.value_or("");
    conn.iface_hwaddress = conn.iface.empty() ? "" : c.Read("local_hwaddress").value_or("");
  }
  return conn;
}

void ReadDisks(const Dir& sessiondev, const std::string& target, LiveSession& s) {
  for (const std::string& lu : sessiondev.List(target)) {
    if (!IsHctl(lu)) {
      continue;
    }
    Dir ludir = Dir::Open(sessiondev, target + "/" + lu);
    LiveDisk d;
    ReadSysfsFields(ludir, d, kDiskFields);
    d.hctl = lu;
    std::vector<std::string> blocks = ludir.List("block");
    if (!blocks.empty()) {
      std::sort(blocks.begin(), blocks.end());
      d.block = blocks.front();
      d.holders = ludir.List("block/" + d.block + "/holders");
      std::sort(d.holders.begin(), d.holders.end());
    }
    s.disks.push_back(std::move(d));
  }
}

LiveSession ReadSession(const Dir& root, const Dir& classdir, const std::string& name) {
  std::string path = ResolveClassLink(classdir, "sys/class/iscsi_session", name);
  fs::path devpath = fs::path(path).parent_path().parent_path();  // .../hostH/sessionN
  Dir cls = Dir::Open(root, path);
  Dir dev = Dir::Open(root, devpath.string());
  LiveSession s;
  s.sid = NumberAfter(name, "session");
  s.host_no = NumberAfter(devpath.parent_path().filename().string(), "host");
  ReadSysfsFields(cls, s, kSessionFields);
  for (const std::string& entry : dev.List()) {
    if (entry.starts_with("connection")) {
      s.connections.push_back(ReadConnection(dev, entry));
    } else if (entry.starts_with("target")) {
      ReadDisks(dev, entry, s);
    }
  }
  return s;
}

}  // namespace

LiveState ReadSysfsLiveState(const std::string& root) {
  LiveState st;
  Dir rootdir = Dir::OpenRoot(root);
  if (!rootdir.Valid()) {
    return st;
  }
  st.module_loaded = rootdir.Exists("sys/module/iscsi_iface_attrs");
  Dir hosts = Dir::Open(rootdir, "sys/class/iscsi_host");
  for (const std::string& name : hosts.List()) {
    if (NumberAfter(name, "host") >= 0) {
      st.hosts.push_back(ReadHost(rootdir, hosts, name));
    }
  }
  Dir sessions = Dir::Open(rootdir, "sys/class/iscsi_session");
  for (const std::string& name : sessions.List()) {
    if (NumberAfter(name, "session") >= 0) {
      st.sessions.push_back(ReadSession(rootdir, sessions, name));
    }
  }
  SortLiveState(st);
  return st;
}

}  // namespace iscsictl
