// `iscsictl doctor`'s reachability probe: a TCP connect to each portal through each NIC
// (SO_BINDTODEVICE to the NIC and bound to its address, so neither the routing table nor
// another NIC of the same subnet answers for it), all at once, non-blocking, the whole
// probe bounded by one timeout. The connection is closed as soon as it is made (no login).
#pragma once

#include <vector>

#include "model/doctor.h"

namespace iscsictl {

// Fills `ok` and `error` of every probe. A probe without a source address is left as it is
// (plan/doctor_net.h reports the missing address).
void ProbePortals(std::vector<PortalProbe>& probes, int timeout_ms);

}  // namespace iscsictl
