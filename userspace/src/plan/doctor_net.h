// `iscsictl doctor`'s network checks (docs/doctor.md), pure: which NICs the config selects
// and for which portals, ARP flux on NICs sharing a subnet, MTU agreement among a target's
// NICs, and the portals a NIC could not connect to. The facts come from the caller.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "model/config.h"
#include "model/doctor.h"
#include "model/nic.h"

namespace iscsictl {

// The file the ARP fix's persistent lines go into.
inline constexpr const char* kArpDropIn = "/etc/sysctl.d/90-iscsictl-arp.conf";

struct DoctorTarget {
  std::string name;
  std::vector<std::string> nics;  // the NICs its sessions are bound to, once each
  size_t sessions = 0;            // sessions (paths) the config wants, bound or not
  std::vector<int64_t> replacement_timeouts;  // of those sessions, once each
};

// What the config selects now (plan/iface_match.h's BindSessions over the NICs present).
struct DoctorScope {
  std::vector<DoctorTarget> targets;  // every target of the config
  std::vector<std::string> nics;      // every selected NIC, once, in binding order
  std::vector<PortalProbe> probes;    // one per (NIC, portal), not yet tried
  size_t unbound = 0;  // sessions over the default route or a foreign iface record
  size_t absent = 0;   // sessions whose NIC is not there
};

DoctorScope MakeDoctorScope(const std::vector<DesiredSession>& sessions,
                            const std::vector<NicInfo>& nics);

// The IPv4 network of an address with its prefix ("10.33.0.101/24" -> "10.33.0.0/24");
// "" for IPv6 or text that is not such an address.
std::string Ipv4Network(const std::string& address);

// ARP flux: each of `selected` with an IPv4 address in a subnet another selected NIC also
// has must not answer ARP for addresses it does not hold and must not announce them: the
// kernel applies max(all, NIC) of arp_ignore (want 1 or 2) and arp_announce (want 2), and
// of rp_filter (want 0 or 2: strict 1 drops replies that arrive on the other NIC). `conf`
// holds each NIC's values and "all"'s. One finding per NIC, its fix `sysctl -w` and the
// lines of kArpDropIn.
std::vector<DoctorFinding> CheckArpFlux(const std::vector<std::string>& selected,
                                        const std::vector<NicInfo>& nics,
                                        const std::map<std::string, Ipv4Conf>& conf);

// A target's NICs must have one MTU: one finding per set of NICs that disagree, its fix
// `ip link set dev NIC mtu N` for the others (N: the MTU most of them have, the larger on
// a tie).
std::vector<DoctorFinding> CheckMtu(const DoctorScope& scope, const std::vector<NicInfo>& nics);

// One finding per probe that did not connect.
std::vector<DoctorFinding> CheckReach(const std::vector<PortalProbe>& probes);

}  // namespace iscsictl
