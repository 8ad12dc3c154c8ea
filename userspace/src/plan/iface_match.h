// Which NICs an iface of the config selects. Pure: the NIC facts come from the
// caller (netlink/udev readers, or test fixtures).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "model/config.h"
#include "model/config_error.h"
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
};

// One BoundSession per (session, selected NIC). A session whose iface selects
// no NIC now yields nothing (the NIC may appear later). Two sessions that end
// up on the same NIC for the same target portal are an error, reported at the
// later session's pointer in `file`; the later binding is dropped.
std::vector<BoundSession> BindSessions(const std::vector<DesiredSession>& sessions,
                                       const std::vector<NicFacts>& nics, const std::string& file,
                                       ConfigErrors& errors);

}  // namespace iscsictl
