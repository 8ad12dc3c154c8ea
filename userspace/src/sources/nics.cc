#include "sources/nics.h"

#include <fmt/format.h>
#include <linux/ethtool.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <memory>

#include "base/dir.h"
#include "base/handles.h"
#include "base/names.h"
#include "base/numbers.h"
#include "sources/pci_path.h"

namespace iscsictl {
namespace {

std::string AddrText(nl_addr* a, bool with_prefix) {
  if (a == nullptr || nl_addr_get_len(a) == 0) {
    return "";
  }
  char buf[128];
  nl_addr2str(a, buf, sizeof buf);
  std::string s = buf;
  if (!with_prefix) {
    size_t slash = s.find('/');
    if (slash != std::string::npos) {
      s.resize(slash);
    }
  }
  return s;
}

// ETHTOOL_GPERMADDR; "" if the driver has none (veth, bridges) or on error.
std::string PermanentMac(int sock, const std::string& name) {
  constexpr unsigned kMaxAddrLen = 32;  // MAX_ADDR_LEN of <linux/netdevice.h>
  // struct ethtool_perm_addr ends in a flexible array: give it room in a raw buffer.
  alignas(ethtool_perm_addr) unsigned char buf[sizeof(ethtool_perm_addr) + kMaxAddrLen] = {};
  ethtool_perm_addr hdr{};
  hdr.cmd = ETHTOOL_GPERMADDR;
  hdr.size = kMaxAddrLen;
  std::memcpy(buf, &hdr, sizeof hdr);
  ifreq ifr{};
  std::strncpy(ifr.ifr_name, name.c_str(), IFNAMSIZ - 1);
  ifr.ifr_data = reinterpret_cast<char*>(buf);
  if (::ioctl(sock, SIOCETHTOOL, &ifr) != 0) {
    return "";
  }
  std::memcpy(&hdr, buf, sizeof hdr);
  if (hdr.size != 6) {
    return "";
  }
  const unsigned char* m = buf + sizeof hdr;
  if (std::all_of(m, m + 6, [](unsigned char c) { return c == 0; })) {
    return "";
  }
  return fmt::format("{:02x}:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}", m[0], m[1], m[2], m[3], m[4],
                     m[5]);
}

std::string Basename(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

}  // namespace

std::vector<NicInfo> ReadNicsNetlink(std::string* error) {
  std::vector<NicInfo> nics;
  NlSock sock(nl_socket_alloc());
  if (!sock || nl_connect(sock.get(), NETLINK_ROUTE) < 0) {
    if (error != nullptr) {
      *error = "cannot open an rtnetlink socket";
    }
    return nics;
  }
  nl_cache* raw = nullptr;
  if (rtnl_link_alloc_cache(sock.get(), AF_UNSPEC, &raw) < 0) {
    if (error != nullptr) {
      *error = "cannot list network links";
    }
    return nics;
  }
  NlCache links(raw);
  raw = nullptr;
  NlCache addrs(rtnl_addr_alloc_cache(sock.get(), &raw) < 0 ? nullptr : raw);
  Fd ioctl_sock(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));

  for (nl_object* o = nl_cache_get_first(links.get()); o != nullptr; o = nl_cache_get_next(o)) {
    auto* l = reinterpret_cast<rtnl_link*>(o);
    if ((rtnl_link_get_flags(l) & IFF_LOOPBACK) != 0) {
      continue;
    }
    NicInfo n;
    n.name = rtnl_link_get_name(l) ? rtnl_link_get_name(l) : "";
    n.ifindex = rtnl_link_get_ifindex(l);
    n.mac = ToLower(AddrText(rtnl_link_get_addr(l), false));
    char buf[32];
    n.operstate = rtnl_link_operstate2str(rtnl_link_get_operstate(l), buf, sizeof buf);
    n.operstate = ToLower(n.operstate);
    n.carrier = rtnl_link_get_carrier(l) != 0;
    n.mtu = static_cast<int>(rtnl_link_get_mtu(l));
    if (ioctl_sock.Valid()) {
      n.perm_mac = PermanentMac(ioctl_sock.get(), n.name);
    }
    nics.push_back(std::move(n));
  }
  if (addrs) {
    for (nl_object* o = nl_cache_get_first(addrs.get()); o != nullptr; o = nl_cache_get_next(o)) {
      auto* a = reinterpret_cast<rtnl_addr*>(o);
      int idx = rtnl_addr_get_ifindex(a);
      for (NicInfo& n : nics) {
        if (n.ifindex == idx) {
          std::string text = AddrText(rtnl_addr_get_local(a), true);
          if (!text.empty()) {
            n.addresses.push_back(text);
          }
        }
      }
    }
  }
  std::sort(nics.begin(), nics.end(),
            [](const NicInfo& a, const NicInfo& b) { return a.ifindex < b.ifindex; });
  return nics;
}

std::string DsnFromConfigSpace(const std::string& config) {
  auto u32 = [&](size_t off) -> uint32_t {
    uint32_t v = 0;
    std::memcpy(&v, config.data() + off, 4);  // config space is little-endian (x86 host)
    return v;
  };
  size_t off = 0x100;
  for (int guard = 0; guard < 64 && off >= 0x100 && off + 12 <= config.size(); ++guard) {
    uint32_t hdr = u32(off);
    if (hdr == 0 || hdr == 0xffffffff) {
      break;
    }
    if ((hdr & 0xffff) == 0x0003) {
      uint64_t lo = u32(off + 4);
      uint64_t hi = u32(off + 8);
      uint64_t dsn = (hi << 32) | lo;
      std::string s;
      for (int i = 7; i >= 0; --i) {
        s += fmt::format("{:02x}{}", (dsn >> (8 * i)) & 0xff, i > 0 ? "-" : "");
      }
      return s;
    }
    off = (hdr >> 20) & 0xffc;
  }
  return "";
}

void JoinNicSysfs(std::vector<NicInfo>& nics, const std::string& root) {
  Dir netdir = Dir::Open(Dir::OpenRoot(root), "sys/class/net");
  for (NicInfo& n : nics) {
    std::string netlink = netdir.ReadLink(n.name);
    std::string device = netdir.ReadLink(n.name + "/device");
    if (netlink.empty() || device.empty()) {
      continue;  // virtual NIC (veth, bridge, bond, VLAN): no parent device
    }
    // sys/class/net/<name> -> ../../devices/.../<parent>/net/<name>; device -> ../../../<parent>
    std::filesystem::path netpath = (std::filesystem::path("sys/class/net") / netlink);
    std::string parent = (netpath / device).lexically_normal().filename().string();
    n.driver = Basename(netdir.ReadLink(n.name + "/device/driver"));
    if (!IsPciAddress(parent)) {
      continue;  // e.g. virtio-net, whose parent is a virtio device
    }
    n.pci_slot = parent;
    Dir dev = Dir::Open(netdir, n.name + "/device");
    // Reading past the first 64 bytes of config space needs CAP_SYS_ADMIN; without it
    // the serial stays empty.
    n.serial = DsnFromConfigSpace(dev.ReadBytes("config").value_or(""));
  }
}

std::vector<NicInfo> ReadNicsSysfs(const std::string& root) {
  std::vector<NicInfo> nics;
  Dir netdir = Dir::Open(Dir::OpenRoot(root), "sys/class/net");
  std::vector<std::string> names = netdir.List();
  std::sort(names.begin(), names.end());
  for (const std::string& name : names) {
    if (name == "lo") {
      continue;
    }
    Dir d = Dir::Open(netdir, name);
    NicInfo n;
    n.name = name;
    n.ifindex = static_cast<int>(ParseLong(d.Read("ifindex").value_or("")).value_or(0));
    n.mac = ToLower(d.Read("address").value_or(""));
    n.operstate = d.Read("operstate").value_or("");
    n.carrier = d.Read("carrier").value_or("") == "1";
    n.mtu = static_cast<int>(ParseLong(d.Read("mtu").value_or("")).value_or(0));
    nics.push_back(std::move(n));
  }
  JoinNicSysfs(nics, root);
  return nics;
}

std::vector<NicInfo> ReadNics(const std::string& root, std::string* warning) {
  if (root != "/") {
    return ReadNicsSysfs(root);
  }
  std::string error;
  std::vector<NicInfo> nics = ReadNicsNetlink(&error);
  if (!error.empty()) {
    if (warning != nullptr) {
      *warning = error + "; NIC details from sysfs only";
    }
    return ReadNicsSysfs(root);
  }
  JoinNicSysfs(nics, root);
  return nics;
}

}  // namespace iscsictl
