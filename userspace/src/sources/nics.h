// NIC inventory: netlink (libnl-3 route) for names, MACs, state and addresses,
// joined with sysfs for the driver, PCI function and adapter serial number.
#pragma once

#include <string>
#include <vector>

#include "model/nic.h"

namespace iscsictl {

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

// The NICs of the live system (rtnetlink joined with sysfs) when `root` is "/", else of the
// recorded tree. Without rtnetlink, sysfs alone; `warning` then says so.
std::vector<NicInfo> ReadNics(const std::string& root, std::string* warning);

}  // namespace iscsictl
