// Host facts `iscsictl doctor` reads that no other reader does (docs/doctor.md): a NIC's
// IPv4 ARP and reverse-path sysctls, a SCSI device's INQUIRY vendor and model. I/O edge
// below a root ("/" live, a recorded tree in tests); judged by plan/doctor_*.h.
#pragma once

#include <string>

#include "model/doctor.h"

namespace iscsictl {

// <root>/proc/sys/net/ipv4/conf/<nic>/{arp_ignore,arp_announce,rp_filter} (`nic` "all"
// for the values the kernel combines with each NIC's).
Ipv4Conf ReadIpv4Conf(const std::string& root, const std::string& nic);

// <root>/sys/class/scsi_device/<hctl>/device/{vendor,model}, trailing blanks dropped.
ScsiIdentity ReadScsiIdentity(const std::string& root, const std::string& hctl);

}  // namespace iscsictl
