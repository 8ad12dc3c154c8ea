// `iscsictl status`: the live state (and, when there is one, the config) arranged as
// targets -> portals -> sessions, each session with the NIC it uses, its connection
// record ID and its disks. Pure; report/status_text.h and status_json.h print it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "model/config.h"
#include "model/live_state.h"
#include "model/module_signing.h"
#include "model/nic.h"

namespace iscsictl {

// The NIC a session goes through and how we know it.
struct StatusNic {
  std::string netdev;
  std::string mac;
  // "module":    the connection's iface / iface_hwaddress (iscsi_iface_attrs): verified;
  // "kernel":    the connection's local_netdev / local_hwaddress (in-tree): verified;
  // "hba":       an offload HBA's own hwaddress (from the card): verified;
  // "iscsid":    the host's netdev / hwaddress as iscsid set them from its iface record;
  // "ipaddress": the NIC holding the host's local address;
  // "config":    a configured session that is not logged in;
  // "none":      nothing known.
  std::string source = "none";
  bool verified = false;
  std::string pci_slot;
  std::string serial;
};

struct StatusSession {
  // "live": logged in, no config given; "configured": in the config and live;
  // "missing": in the config, not live; "not-in-config": live, absent from the config.
  std::string presence = "live";
  std::string target;  // as the kernel (or, for "missing", the config) spells it
  std::string portal_address;
  int portal_port = 3260;
  std::string record_id;
  std::string transport;  // "tcp", "iser", or the offload driver
  StatusNic nic;
  std::string config_pointer;       // where the config defines it ("" if not)
  std::optional<LiveSession> live;  // absent for "missing"
  std::optional<LiveHost> host;
};

struct StatusPortal {
  std::string address;
  int port = 3260;
  std::vector<StatusSession> sessions;
};

struct StatusTarget {
  std::string name;
  std::vector<StatusPortal> portals;
};

struct StatusReport {
  bool module_loaded = false;
  std::string module_note;    // why the module is unavailable (LiveState::module_note)
  std::string live_via;       // "netlink" or "sysfs"
  std::string live_fallback;  // why a loaded module's dump was not used ("" if it was)
  // Not loaded because the kernel wants signed modules (ModuleRefusal), else "".
  std::string module_refusal;
  std::string config_file;  // "" when no config was used
  std::vector<StatusTarget> targets;
  size_t SessionCount() const;
};

// `desired` is null when there is no config (then every session is "live").
StatusReport BuildStatus(const LiveState& live, const std::vector<NicInfo>& nics,
                         const std::vector<DesiredSession>* desired,
                         const std::string& config_file = "");

// When the kernel loads signed modules only (module.sig_enforce, lockdown under Secure
// Boot) and iscsi_iface_attrs is installed: why it is refused or may be, and what to do.
// "" when signatures are not enforced or no module is installed.
std::string ModuleRefusal(const ModuleSigning& s);

}  // namespace iscsictl
