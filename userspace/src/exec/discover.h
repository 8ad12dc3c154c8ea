// SendTargets discovery through one NIC or HBA (`iscsictl discover`): makes sure the iface
// record exists, asks iscsid (through iscsiadm, `-o nonpersistent`: no node record per NIC x
// portal) and returns what the target listed. Results as data; cli/ prints the config.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/process.h"
#include "exec/reconcile.h"

namespace iscsictl {

struct DiscoverRequest {
  std::string portal;  // "address[:port]" as given
  std::string nic;     // -I: MAC or netdev name ("": none)
  std::string host;    // -H: "hostN" or "N" ("": none)
};

struct DiscoveredTarget {
  std::string name;
  std::string address;
  int port = 3260;
  int tpgt = 1;
};

struct Discovery {
  enum class Stop {
    kNone,
    kLock,         // the lock was not obtained
    kBadInput,     // the portal, NIC or host given is not one
    kEnvironment,  // the iface record cannot be written, iscsid does not answer
    kFailed,       // iscsiadm failed
  };
  Stop stop = Stop::kNone;
  std::string error;
  std::vector<std::string> warnings;
  std::string portal;  // as iscsiadm -p took it: "10.33.0.10:3260", "[fd00:33::10]:3260"
  std::string iface;   // the iface record discovery went through
  std::string mac;     // the NIC's MAC ("" through the default route or an HBA's record)
  std::vector<DiscoveredTarget> targets;
};

// Takes the lock (env.lock_path) for the iface record it may write.
Discovery Discover(const DiscoverRequest& request, const ReconcileEnv& env, CommandRunner& runner);

// iscsiadm's SendTargets lines ("10.33.0.10:3260,1 iqn...", "[fd00::10]:3260,1 iqn...");
// lines that are not a portal and an iSCSI name are skipped.
std::vector<DiscoveredTarget> ParseSendTargets(std::string_view output);

}  // namespace iscsictl
