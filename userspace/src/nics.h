// NIC inventory: netlink (libnl-3 route) for names, MACs, state and addresses,
// joined with sysfs for the driver, PCI function and adapter serial number.
#pragma once

#include <string>
#include <vector>

#include "iface_match.h"

namespace iscsictl {

struct NicInfo {
  std::string name;
  int ifindex = 0;
  std::string mac;        // lower-case, colon-separated
  std::string perm_mac;   // permanent (burnt-in) MAC if the driver reports one
  std::string operstate;  // "up", "down", "unknown", ...
  bool carrier = false;
  std::vector<std::string> addresses;  // "10.33.0.101/24", "fe80::1/64"
  // From sysfs (<root>/sys/class/net/<name>/device):
  std::string driver;    // "e1000e"; "" for virtual NICs
  std::string pci_slot;  // "0000:02:00.0" when the NIC's parent is a PCI function
  std::string serial;    // PCIe Device Serial Number as lspci prints it ("52-54-00-ff-...")

  NicFacts Facts() const;
};

// Every non-loopback link of the current network namespace with its addresses, via
// rtnetlink. Returns an empty list (and sets `error`) if netlink is unavailable.
std::vector<NicInfo> ReadNicsNetlink(std::string* error = nullptr);

// Fills driver, pci_slot and serial of each NIC from <root>/sys/class/net/<name>.
void JoinNicSysfs(std::vector<NicInfo>& nics, const std::string& root);

// NICs as sysfs alone shows them (name, MAC, operstate; no addresses), joined as above.
// For recorded trees in tests and as a fallback.
std::vector<NicInfo> ReadNicsSysfs(const std::string& root);

// The PCIe Device Serial Number in a config-space image, formatted like lspci
// ("xx-xx-xx-xx-xx-xx-xx-xx", most significant byte first); "" if absent.
std::string DsnFromConfigSpace(const std::string& config);

// The NIC with that name, or nullptr.
const NicInfo* FindNic(const std::vector<NicInfo>& nics, const std::string& name);

}  // namespace iscsictl
