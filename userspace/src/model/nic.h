// NICs as data: what the inventory knows of one (NicInfo) and the part of it that decides
// which NICs a config iface selects (NicFacts).
#pragma once

#include <string>
#include <vector>

namespace iscsictl {

// What selecting NICs for a config iface looks at (plan/iface_match.h).
struct NicFacts {
  std::string name;                    // netdev name
  std::string mac;                     // any case
  std::string driver;                  // kernel driver, e.g. "e1000e"
  std::vector<std::string> addresses;  // "10.33.0.5" or "10.33.0.5/24", IPv4 or IPv6
  bool carrier = true;                 // link up (IFF_LOWER_UP); true when unknown
};

// One network interface as rtnetlink and sysfs show it (sources/nics.h reads them).
struct NicInfo {
  std::string name;
  int ifindex = 0;
  std::string mac;        // lower-case, colon-separated
  std::string perm_mac;   // permanent (burnt-in) MAC if the driver reports one
  std::string operstate;  // "up", "down", "unknown", ...
  bool carrier = false;
  int mtu = 0;                         // 0 when unknown
  std::vector<std::string> addresses;  // "10.33.0.101/24", "fe80::1/64"
  // From sysfs (<root>/sys/class/net/<name>/device):
  std::string driver;    // "e1000e"; "" for virtual NICs
  std::string pci_slot;  // "0000:02:00.0" when the NIC's parent is a PCI function
  std::string serial;    // PCIe Device Serial Number as lspci prints it ("52-54-00-ff-...")

  NicFacts Facts() const;
};

std::vector<NicFacts> FactsOf(const std::vector<NicInfo>& nics);

// The NIC with that name, or nullptr.
const NicInfo* FindNic(const std::vector<NicInfo>& nics, const std::string& name);
// The NIC with that MAC (any case), or nullptr (also when `mac` is not a MAC address).
const NicInfo* FindNicByMac(const std::vector<NicInfo>& nics, const std::string& mac);
// By netdev name, else by MAC: what `-I` takes.
const NicInfo* FindNicByNameOrMac(const std::vector<NicInfo>& nics, const std::string& what);

}  // namespace iscsictl
