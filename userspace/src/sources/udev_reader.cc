#include "sources/udev_reader.h"

#include <libudev.h>

#include <algorithm>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "sources/sysfs_dir.h"

namespace iscsictl {
namespace {

struct UdevDeleter {
  void operator()(udev* u) const { udev_unref(u); }
};
struct EnumerateDeleter {
  void operator()(udev_enumerate* e) const { udev_enumerate_unref(e); }
};
struct DeviceDeleter {
  void operator()(udev_device* d) const { udev_device_unref(d); }
};
using Udev = std::unique_ptr<udev, UdevDeleter>;
using Enumerate = std::unique_ptr<udev_enumerate, EnumerateDeleter>;
using Device = std::unique_ptr<udev_device, DeviceDeleter>;

// A device's attributes; libudev reads each at most once and caches it.
class Attrs {
 public:
  explicit Attrs(udev_device* d) : d_(d) {}
  std::string Text(const char* name) const {
    const char* v = d_ != nullptr ? udev_device_get_sysattr_value(d_, name) : nullptr;
    return v != nullptr ? v : "";
  }
  bool Has(const char* name) const {
    return d_ != nullptr && udev_device_get_sysattr_value(d_, name) != nullptr;
  }
  std::optional<long> Long(const char* name) const { return ParseLong(Text(name)); }
  std::optional<int> Int(const char* name) const {
    std::optional<long> v = Long(name);
    return v ? std::optional<int>(static_cast<int>(*v)) : std::nullopt;
  }

 private:
  udev_device* d_;
};

// Calls fn(udev_device*) for every device of `subsystem`.
template <typename Fn>
void ForEach(udev* u, const char* subsystem, Fn fn) {
  Enumerate e(udev_enumerate_new(u));
  if (!e || udev_enumerate_add_match_subsystem(e.get(), subsystem) < 0 ||
      udev_enumerate_scan_devices(e.get()) < 0) {
    return;
  }
  for (udev_list_entry* l = udev_enumerate_get_list_entry(e.get()); l != nullptr;
       l = udev_list_entry_get_next(l)) {
    Device d(udev_device_new_from_syspath(u, udev_list_entry_get_name(l)));
    if (d) {
      fn(d.get());
    }
  }
}

int NumberAfter(std::string_view s, std::string_view prefix) {
  if (!s.starts_with(prefix)) {
    return -1;
  }
  std::optional<long> v = ParseLong(s.substr(prefix.size()));
  return v ? static_cast<int>(*v) : -1;
}

// The "sessionN" (or "hostN") component of a sys path; -1 if none.
int ComponentNumber(std::string_view path, std::string_view prefix) {
  size_t pos = 0;
  while ((pos = path.find("/" + std::string(prefix), pos)) != std::string_view::npos) {
    size_t start = pos + 1;
    size_t end = path.find('/', start);
    int n =
        NumberAfter(path.substr(start, end == std::string_view::npos ? end : end - start), prefix);
    if (n >= 0) {
      return n;
    }
    pos = start;
  }
  return -1;
}

std::string Sysname(udev_device* d) {
  const char* n = udev_device_get_sysname(d);
  return n != nullptr ? n : "";
}

std::string Syspath(udev_device* d) {
  const char* n = udev_device_get_syspath(d);
  return n != nullptr ? n : "";
}

}  // namespace

LiveState ReadUdevLiveState() {
  LiveState st;
  Udev u(udev_new());
  if (!u) {
    return st;
  }
  st.module_loaded = SysfsDir::OpenRoot("/").Exists("sys/module/iscsi_iface_attrs");
  ForEach(u.get(), "iscsi_host", [&](udev_device* d) {
    Attrs a(d);
    LiveHost h;
    h.host_no = NumberAfter(Sysname(d), "host");
    h.netdev = a.Text("netdev");
    h.hwaddress = a.Text("hwaddress");
    h.ipaddress = a.Text("ipaddress");
    h.has_module_attrs = a.Has("hba_hwaddress");
    if (h.has_module_attrs) {
      h.hba_hwaddress = a.Text("hba_hwaddress");
      h.hba_serial = a.Text("hba_serial");
      h.hba_pci_slot = a.Text("hba_pci_slot");
    }
    Device scsi_host(
        udev_device_new_from_subsystem_sysname(u.get(), "scsi_host", Sysname(d).c_str()));
    h.driver = Attrs(scsi_host.get()).Text("proc_name");
    // Borrowed from d: not unref'd.
    udev_device* pci = udev_device_get_parent_with_subsystem_devtype(d, "pci", nullptr);
    h.pci_slot = pci != nullptr ? Sysname(pci) : "";
    st.hosts.push_back(std::move(h));
  });
  std::map<int, LiveSession> sessions;
  ForEach(u.get(), "iscsi_session", [&](udev_device* d) {
    Attrs a(d);
    LiveSession s;
    s.sid = NumberAfter(Sysname(d), "session");
    s.host_no = ComponentNumber(Syspath(d), "host");
    s.targetname = a.Text("targetname");
    s.tpgt = a.Int("tpgt");
    s.state = a.Text("state");
    s.ifacename = a.Text("ifacename");
    s.recovery_tmo = a.Int("recovery_tmo");
    s.initial_r2t = a.Text("initial_r2t");
    s.immediate_data = a.Text("immediate_data");
    s.first_burst_len = a.Long("first_burst_len");
    s.max_burst_len = a.Long("max_burst_len");
    s.max_outstanding_r2t = a.Long("max_outstanding_r2t");
    s.erl = a.Int("erl");
    sessions[s.sid] = std::move(s);
  });
  ForEach(u.get(), "iscsi_connection", [&](udev_device* d) {
    std::string name = Sysname(d);  // connectionS:C
    size_t colon = name.find(':');
    int sid = NumberAfter(name.substr(0, colon), "connection");
    auto it = sessions.find(sid);
    if (it == sessions.end() || colon == std::string::npos) {
      return;
    }
    Attrs a(d);
    LiveConnection c;
    c.cid = static_cast<int>(ParseLong(name.substr(colon + 1)).value_or(0));
    c.address = a.Text("address");
    c.port = a.Int("port");
    c.persistent_address = a.Text("persistent_address");
    c.persistent_port = a.Int("persistent_port");
    c.local_port = a.Int("local_port");
    c.state = a.Text("state");
    c.max_recv_dlength = a.Long("max_recv_dlength");
    c.max_xmit_dlength = a.Long("max_xmit_dlength");
    c.header_digest = a.Text("header_digest");
    c.data_digest = a.Text("data_digest");
    c.has_module_attrs = a.Has("iface");
    if (c.has_module_attrs) {
      c.iface = a.Text("iface");
      c.iface_hwaddress = a.Text("iface_hwaddress");
    }
    it->second.connections.push_back(std::move(c));
  });
  // SCSI devices below a session, with their sd block device and its holders.
  ForEach(u.get(), "scsi", [&](udev_device* d) {
    const char* devtype = udev_device_get_devtype(d);
    if (devtype == nullptr || std::string_view(devtype) != "scsi_device") {
      return;
    }
    std::string path = Syspath(d);
    auto it = sessions.find(ComponentNumber(path, "session"));
    if (it == sessions.end()) {
      return;
    }
    LiveDisk disk;
    disk.hctl = Sysname(d);
    disk.state = Attrs(d).Text("state");
    SysfsDir dev = SysfsDir::Open(SysfsDir(), path);
    std::vector<std::string> blocks = dev.List("block");
    std::sort(blocks.begin(), blocks.end());
    if (!blocks.empty()) {
      disk.block = blocks.front();
      disk.holders = dev.List("block/" + disk.block + "/holders");
      std::sort(disk.holders.begin(), disk.holders.end());
    }
    it->second.disks.push_back(std::move(disk));
  });
  for (auto& [sid, s] : sessions) {
    std::sort(s.connections.begin(), s.connections.end(),
              [](const LiveConnection& a, const LiveConnection& b) { return a.cid < b.cid; });
    std::sort(s.disks.begin(), s.disks.end(),
              [](const LiveDisk& a, const LiveDisk& b) { return HctlLess(a.hctl, b.hctl); });
    st.sessions.push_back(std::move(s));
  }
  std::sort(st.hosts.begin(), st.hosts.end(),
            [](const LiveHost& a, const LiveHost& b) { return a.host_no < b.host_no; });
  return st;
}

namespace {

class UdevReader : public LiveStateReader {
 public:
  LiveState Read() override { return ReadUdevLiveState(); }
};

}  // namespace

std::unique_ptr<LiveStateReader> MakeUdevReader() {
  return std::make_unique<UdevReader>();
}

}  // namespace iscsictl
