// The live iSCSI state of the host (hosts, sessions, connections, disks): plain data.
//
// sources/live_source.h fills it, from the module's netlink dump or from sysfs, field by
// field as model/live_fields.h lists them; plan/status_report.h turns it into what
// `iscsictl status` prints and plan/plan.h takes what the planner needs of it. Every field
// is the value of one kernel attribute, kept as text where the kernel prints text,
// empty/nullopt when the attribute is absent or unreadable (e.g. `address` of a connection
// in recovery).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace iscsictl {

// /sys/class/iscsi_host/hostN (+ scsi_host/hostN/proc_name for the driver).
struct LiveHost {
  int host_no = -1;       // N of hostN
  std::string driver;     // scsi_host proc_name: "iscsi_tcp", "qla4xxx", ...
  std::string netdev;     // iscsi_host netdev: iscsid's iface value for iscsi_tcp
  std::string hwaddress;  // iscsi_host hwaddress: iscsid's (tcp) or the card's (offload)
  std::string ipaddress;  // iscsi_host ipaddress: local address
  std::string pci_slot;   // nearest PCI ancestor of the host device ("" if none)
  // The module's attributes (iscsi_iface_attrs); has_module_attrs says they exist.
  bool has_module_attrs = false;
  std::string hba_hwaddress;
  std::string hba_serial;
  std::string hba_pci_slot;

  // True for drivers with a TCP socket in the kernel (iscsi_tcp) or none at all.
  bool IsSoftware() const;
  // The transport name as open-iscsi spells it: "tcp" for iscsi_tcp, "iser" for ib_iser,
  // the driver name for offload HBAs.
  std::string Transport() const;
};

// /sys/class/iscsi_connection/connectionS:C
struct LiveConnection {
  int cid = 0;
  std::string address;  // current target address (after redirects)
  std::optional<int> port;
  std::string persistent_address;  // the portal logged in to
  std::optional<int> persistent_port;
  std::optional<int> local_port;
  std::string state;  // "up", "down", "failed", "bound", "cleaning up" (kernel 5.x+)
  // Negotiated connection parameters.
  std::optional<long> max_recv_dlength;
  std::optional<long> max_xmit_dlength;
  std::string header_digest;
  std::string data_digest;
  // The netdev the socket really uses and its MAC: the module's attributes (iface,
  // iface_hwaddress), or the kernel's own where it has them (kmod/upstream's
  // local_netdev, local_hwaddress), which win; has_kernel_attrs says those exist.
  bool has_module_attrs = false;
  bool has_kernel_attrs = false;
  std::string iface;
  std::string iface_hwaddress;

  // The portal this connection belongs to: persistent_address/port, else address/port.
  const std::string& PortalAddress() const;
  int PortalPort() const;
};

// A SCSI disk of a session: its H:C:T:L, block device and holders.
struct LiveDisk {
  std::string hctl;                  // "2:0:0:1"
  std::string block;                 // "sda" ("" if the LU has no block device)
  std::string state;                 // scsi_device state: "running", "offline", ...
  std::vector<std::string> holders;  // "dm-0", ...
};

// /sys/class/iscsi_session/sessionN
struct LiveSession {
  int sid = -1;
  int host_no = -1;
  std::string targetname;
  std::optional<int> tpgt;
  std::string state;      // "LOGGED_IN", "FAILED", "FREE"
  std::string ifacename;  // iscsid's iface record name
  std::optional<int> recovery_tmo;
  // Negotiated session parameters.
  std::string initial_r2t;  // "0"/"1" as the kernel prints them
  std::string immediate_data;
  std::optional<long> first_burst_len;
  std::optional<long> max_burst_len;
  std::optional<long> max_outstanding_r2t;
  std::optional<int> erl;
  std::vector<LiveConnection> connections;  // by cid
  std::vector<LiveDisk> disks;              // by H:C:T:L
};

// "H:C:T:L" of a SCSI device (four decimal numbers)?
bool IsHctl(std::string_view s);
// Orders "H:C:T:L" strings numerically (non-HCTL strings last, by text).
bool HctlLess(const std::string& a, const std::string& b);

struct LiveState {
  bool module_loaded = false;         // /sys/module/iscsi_iface_attrs exists
  // Where this state came from (sources/live_source.h): "netlink" or "sysfs"; why the
  // module's dump was not used although the module is loaded ("" when it was, or when
  // sysfs was asked for); why the module is unavailable ("" when loaded: "not loaded", or
  // its refusal to load as the kernel log says it).
  std::string via;
  std::string fallback;
  std::string module_note;
  std::vector<LiveHost> hosts;        // by host number
  std::vector<LiveSession> sessions;  // by sid

  const LiveHost* FindHost(int host_no) const;
};

// The order every source returns: hosts by number, sessions by sid, connections by cid,
// disks by H:C:T:L.
void SortLiveState(LiveState& st);

}  // namespace iscsictl
