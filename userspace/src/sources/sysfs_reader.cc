#include "sources/sysfs_reader.h"

#include <algorithm>
#include <filesystem>
#include <string_view>
#include <tuple>
#include <utility>

#include "sources/sysfs_dir.h"

namespace iscsictl {
namespace {

namespace fs = std::filesystem;

// Path (relative to the root) of the device a class entry links to.
std::string ResolveClassLink(const SysfsDir& classdir, const std::string& cls,
                             const std::string& name) {
  std::string link = classdir.ReadLink(name);
  if (link.empty()) {
    return cls + "/" + name;  // not a link: a real directory (flat fixtures)
  }
  if (!link.empty() && link.front() == '/') {
    return fs::path(link).relative_path().lexically_normal().string();
  }
  return (fs::path(cls) / link).lexically_normal().string();
}

// N of "<prefix>N"; -1 if `s` is not of that form.
int NumberAfter(std::string_view s, std::string_view prefix) {
  if (!s.starts_with(prefix)) {
    return -1;
  }
  std::optional<long> v = ParseLong(s.substr(prefix.size()));
  return v && *v >= 0 ? static_cast<int>(*v) : -1;
}

std::optional<int> ReadInt(const SysfsDir& d, std::string_view name) {
  std::optional<std::string> s = d.Read(name);
  if (!s) {
    return std::nullopt;
  }
  std::optional<long> v = ParseLong(*s);
  if (!v) {
    return std::nullopt;
  }
  return static_cast<int>(*v);
}

std::optional<long> ReadLong(const SysfsDir& d, std::string_view name) {
  std::optional<std::string> s = d.Read(name);
  return s ? ParseLong(*s) : std::nullopt;
}

std::string ReadText(const SysfsDir& d, std::string_view name) {
  return d.Read(name).value_or("");
}

LiveHost ReadHost(const SysfsDir& root, const SysfsDir& classdir, const std::string& name) {
  std::string path = ResolveClassLink(classdir, "sys/class/iscsi_host", name);
  SysfsDir cls = SysfsDir::Open(root, path);
  LiveHost h;
  h.host_no = NumberAfter(name, "host");
  h.netdev = ReadText(cls, "netdev");
  h.hwaddress = ReadText(cls, "hwaddress");
  h.ipaddress = ReadText(cls, "ipaddress");
  h.hba_hwaddress = cls.Read("hba_hwaddress", &h.has_module_attrs).value_or("");
  if (h.has_module_attrs) {
    h.hba_serial = ReadText(cls, "hba_serial");
    h.hba_pci_slot = ReadText(cls, "hba_pci_slot");
  }
  // <host device>/iscsi_host/hostN -> <host device>/scsi_host/hostN/proc_name
  h.driver = ReadText(cls, "../../scsi_host/" + name + "/proc_name");
  h.pci_slot = LastPciComponent(fs::path(path).parent_path().parent_path().string());
  return h;
}

LiveConnection ReadConnection(const SysfsDir& sessiondev, const std::string& name) {
  SysfsDir c = SysfsDir::Open(sessiondev, name + "/iscsi_connection/" + name);
  LiveConnection conn;
  size_t colon = name.find(':');
  if (colon != std::string::npos) {
    conn.cid = static_cast<int>(ParseLong(name.substr(colon + 1)).value_or(0));
  }
  conn.address = ReadText(c, "address");
  conn.port = ReadInt(c, "port");
  conn.persistent_address = ReadText(c, "persistent_address");
  conn.persistent_port = ReadInt(c, "persistent_port");
  conn.local_port = ReadInt(c, "local_port");
  conn.state = ReadText(c, "state");
  conn.max_recv_dlength = ReadLong(c, "max_recv_dlength");
  conn.max_xmit_dlength = ReadLong(c, "max_xmit_dlength");
  conn.header_digest = ReadText(c, "header_digest");
  conn.data_digest = ReadText(c, "data_digest");
  conn.iface = c.Read("iface", &conn.has_module_attrs).value_or("");
  if (conn.has_module_attrs) {
    conn.iface_hwaddress = ReadText(c, "iface_hwaddress");
  }
  return conn;
}

void ReadDisks(const SysfsDir& sessiondev, const std::string& target, LiveSession& s) {
  for (const std::string& lu : sessiondev.List(target)) {
    if (!IsHctl(lu)) {
      continue;
    }
    SysfsDir ludir = SysfsDir::Open(sessiondev, target + "/" + lu);
    LiveDisk d;
    d.hctl = lu;
    d.state = ReadText(ludir, "state");
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

LiveSession ReadSession(const SysfsDir& root, const SysfsDir& classdir, const std::string& name) {
  std::string path = ResolveClassLink(classdir, "sys/class/iscsi_session", name);
  fs::path devpath = fs::path(path).parent_path().parent_path();  // .../hostH/sessionN
  SysfsDir cls = SysfsDir::Open(root, path);
  SysfsDir dev = SysfsDir::Open(root, devpath.string());
  LiveSession s;
  s.sid = NumberAfter(name, "session");
  s.host_no = NumberAfter(devpath.parent_path().filename().string(), "host");
  s.targetname = ReadText(cls, "targetname");
  s.tpgt = ReadInt(cls, "tpgt");
  s.state = ReadText(cls, "state");
  s.ifacename = ReadText(cls, "ifacename");
  s.recovery_tmo = ReadInt(cls, "recovery_tmo");
  s.initial_r2t = ReadText(cls, "initial_r2t");
  s.immediate_data = ReadText(cls, "immediate_data");
  s.first_burst_len = ReadLong(cls, "first_burst_len");
  s.max_burst_len = ReadLong(cls, "max_burst_len");
  s.max_outstanding_r2t = ReadLong(cls, "max_outstanding_r2t");
  s.erl = ReadInt(cls, "erl");
  for (const std::string& entry : dev.List()) {
    if (entry.starts_with("connection")) {
      s.connections.push_back(ReadConnection(dev, entry));
    } else if (entry.starts_with("target")) {
      ReadDisks(dev, entry, s);
    }
  }
  std::sort(s.connections.begin(), s.connections.end(),
            [](const LiveConnection& a, const LiveConnection& b) { return a.cid < b.cid; });
  std::sort(s.disks.begin(), s.disks.end(),
            [](const LiveDisk& a, const LiveDisk& b) { return HctlLess(a.hctl, b.hctl); });
  return s;
}

class SysfsReader : public LiveStateReader {
 public:
  explicit SysfsReader(std::string root) : root_(std::move(root)) {}
  LiveState Read() override { return ReadSysfsLiveState(root_); }

 private:
  std::string root_;
};

}  // namespace

LiveState ReadSysfsLiveState(const std::string& root) {
  LiveState st;
  SysfsDir rootdir = SysfsDir::OpenRoot(root);
  if (!rootdir.Valid()) {
    return st;
  }
  st.module_loaded = rootdir.Exists("sys/module/iscsi_iface_attrs");
  SysfsDir hosts = SysfsDir::Open(rootdir, "sys/class/iscsi_host");
  for (const std::string& name : hosts.List()) {
    if (NumberAfter(name, "host") >= 0) {
      st.hosts.push_back(ReadHost(rootdir, hosts, name));
    }
  }
  SysfsDir sessions = SysfsDir::Open(rootdir, "sys/class/iscsi_session");
  for (const std::string& name : sessions.List()) {
    if (NumberAfter(name, "session") >= 0) {
      st.sessions.push_back(ReadSession(rootdir, sessions, name));
    }
  }
  std::sort(st.hosts.begin(), st.hosts.end(),
            [](const LiveHost& a, const LiveHost& b) { return a.host_no < b.host_no; });
  std::sort(st.sessions.begin(), st.sessions.end(),
            [](const LiveSession& a, const LiveSession& b) { return a.sid < b.sid; });
  return st;
}

std::unique_ptr<LiveStateReader> MakeSysfsReader(std::string root) {
  return std::make_unique<SysfsReader>(std::move(root));
}

}  // namespace iscsictl
