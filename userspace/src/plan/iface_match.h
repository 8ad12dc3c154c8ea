// Which NICs an iface of the config selects. Pure: the NIC facts come from the
// caller (netlink/udev readers, or test fixtures).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "model/config.h"
#include "model/nic.h"

namespace iscsictl {

// True if `address` (with or without /prefix) lies in `subnet` ("10.33.0.0/24").
bool InSubnet(std::string_view address, std::string_view subnet);

// kMac, kNetdev and kRule ifaces are decided from the facts; kDefault and
// kRecord never match a NIC by themselves (they are resolved by open-iscsi).
bool IfaceMatches(const Iface& iface, const NicFacts& nic);

// The NICs `iface` selects, in input order.
std::vector<NicFacts> SelectNics(const Iface& iface, const std::vector<NicFacts>& nics);

// A desired session bound to one NIC. For kDefault and kRecord ifaces `nic` is
// empty: open-iscsi picks the route or the iface record decides.
struct BoundSession {
  size_t desired_index;  // into the sessions given to BindSessions
  NicFacts nic;
  // Not empty: the session cannot be made now, and why. `absent`: its iface selects no NIC
  // present (`nic` empty; the NIC may appear later). `conflict`: another session of the
  // config chose the same NIC for the same target and portal (every session involved
  // carries it; none of them is made, the rest of the config is).
  std::string absent;
  std::string conflict;
};

// One BoundSession per (session, selected NIC), and one marked `absent` per session whose
// iface selects no NIC now. Sessions that end up on the same NIC for the same target
// portal are all marked `conflict`, naming each other's pointers.
std::vector<BoundSession> BindSessions(const std::vector<DesiredSession>& sessions,
                                       const std::vector<NicFacts>& nics);

}  // namespace iscsictl
