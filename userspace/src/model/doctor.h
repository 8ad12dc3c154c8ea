// `iscsictl doctor` as data: the facts its checks judge (read by sources/, judged by
// plan/doctor_net.h and plan/doctor_multipathd.h) and what they find (docs/doctor.md).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace iscsictl {

// /proc/sys/net/ipv4/conf/<nic>/{arp_ignore,arp_announce,rp_filter}; nullopt if unreadable.
struct Ipv4Conf {
  std::optional<int> arp_ignore;
  std::optional<int> arp_announce;
  std::optional<int> rp_filter;
};

// One TCP connect to a portal through one NIC (SO_BINDTODEVICE and its address).
struct PortalProbe {
  std::string nic;
  std::string source;   // the NIC's address bound to ("" if it has none of the family)
  std::string address;  // portal address
  int port = 0;
  bool ok = false;      // connected
  std::string error;    // why not ("Connection refused", "timed out after 3 s", ...)
};

// A SCSI device's INQUIRY identity as sysfs shows it (trailing blanks dropped).
struct ScsiIdentity {
  std::string vendor;  // "LIO-ORG"
  std::string model;   // "mpath-lun0"
  bool operator==(const ScsiIdentity&) const = default;
};

// One finding: its check ("arp", "mtu", "reach", "multipathd"), what is wrong (naming the
// NIC, portal or device), and the lines that fix it.
struct DoctorFinding {
  std::string check;
  std::string what;
  std::vector<std::string> fix;
};

// What a doctor run looked at, for its summary.
struct DoctorChecked {
  size_t targets = 0;   // with a session bound to a NIC
  size_t nics = 0;      // selected NICs
  size_t probes = 0;    // (NIC, portal) pairs connected to
  bool multipathd = false;  // some target has several paths: multipathd was asked
  size_t unbound = 0;   // sessions over the default route or a foreign iface record
  size_t absent = 0;    // sessions whose NIC is not there
};

}  // namespace iscsictl
