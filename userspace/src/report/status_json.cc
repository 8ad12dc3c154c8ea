// JSON form of `iscsictl status` and `iscsictl nics` (json-schema/status.schema.json).
#include <string>

#include "report/status_json.h"

namespace iscsictl {
namespace {

using ojson = nlohmann::ordered_json;

ojson TextOrNull(const std::string& s) {
  return s.empty() ? ojson() : ojson(s);
}

template <typename T>
ojson OptOrNull(const std::optional<T>& v) {
  return v ? ojson(*v) : ojson();
}

// The kernel prints booleans of the session as "0"/"1" (some drivers "Yes"/"No").
ojson BoolOrNull(const std::string& s) {
  if (s == "1" || s == "Yes" || s == "yes") {
    return true;
  }
  if (s == "0" || s == "No" || s == "no") {
    return false;
  }
  return {};  // null
}

ojson NicJson(const StatusNic& n) {
  ojson j = ojson::object();
  j["netdev"] = TextOrNull(n.netdev);
  j["mac"] = TextOrNull(n.mac);
  j["verified"] = n.verified;
  j["source"] = n.source;
  j["pci_slot"] = TextOrNull(n.pci_slot);
  j["serial"] = TextOrNull(n.serial);
  return j;
}

ojson ConnectionJson(const LiveConnection& c) {
  ojson j = ojson::object();
  j["cid"] = c.cid;
  j["state"] = TextOrNull(c.state);
  j["address"] = TextOrNull(c.address);
  j["port"] = OptOrNull(c.port);
  j["persistent_address"] = TextOrNull(c.persistent_address);
  j["persistent_port"] = OptOrNull(c.persistent_port);
  j["local_port"] = OptOrNull(c.local_port);
  if (c.has_module_attrs) {
    j["iface"] = TextOrNull(c.iface);
    j["iface_hwaddress"] = TextOrNull(c.iface_hwaddress);
  } else {
    j["iface"] = ojson();
    j["iface_hwaddress"] = ojson();
  }
  return j;
}

ojson ParamsJson(const LiveSession& s) {
  ojson j = ojson::object();
  j["initial_r2t"] = BoolOrNull(s.initial_r2t);
  j["immediate_data"] = BoolOrNull(s.immediate_data);
  j["first_burst_length"] = OptOrNull(s.first_burst_len);
  j["max_burst_length"] = OptOrNull(s.max_burst_len);
  j["max_outstanding_r2t"] = OptOrNull(s.max_outstanding_r2t);
  j["erl"] = OptOrNull(s.erl);
  j["recovery_tmo"] = OptOrNull(s.recovery_tmo);
  const LiveConnection* c = s.connections.empty() ? nullptr : &s.connections.front();
  j["header_digest"] = c != nullptr ? TextOrNull(c->header_digest) : ojson();
  j["data_digest"] = c != nullptr ? TextOrNull(c->data_digest) : ojson();
  j["max_recv_data_segment_length"] = c != nullptr ? OptOrNull(c->max_recv_dlength) : ojson();
  j["max_xmit_data_segment_length"] = c != nullptr ? OptOrNull(c->max_xmit_dlength) : ojson();
  return j;
}

ojson DiskJson(const LiveDisk& d) {
  ojson j = ojson::object();
  j["hctl"] = d.hctl;
  j["name"] = TextOrNull(d.block);
  j["state"] = TextOrNull(d.state);
  j["holders"] = d.holders;
  return j;
}

ojson SessionJson(const StatusSession& s) {
  ojson j = ojson::object();
  const LiveSession* l = s.live ? &*s.live : nullptr;
  j["sid"] = l != nullptr ? ojson(l->sid) : ojson();
  j["presence"] = s.presence;
  j["state"] = l != nullptr ? TextOrNull(l->state) : ojson();
  j["record_id"] = TextOrNull(s.record_id);
  j["transport"] = s.transport;
  j["host"] = s.host ? ojson("host" + std::to_string(s.host->host_no)) : ojson();
  j["driver"] = s.host ? TextOrNull(s.host->driver) : ojson();
  j["iface_record"] = l != nullptr ? TextOrNull(l->ifacename) : ojson();
  j["tpgt"] = l != nullptr ? OptOrNull(l->tpgt) : ojson();
  j["local_address"] = s.host ? TextOrNull(s.host->ipaddress) : ojson();
  j["nic"] = NicJson(s.nic);
  j["config_pointer"] = TextOrNull(s.config_pointer);
  ojson conns = ojson::array();
  ojson disks = ojson::array();
  if (l != nullptr) {
    for (const LiveConnection& c : l->connections) {
      conns.push_back(ConnectionJson(c));
    }
    for (const LiveDisk& d : l->disks) {
      disks.push_back(DiskJson(d));
    }
  }
  j["connections"] = conns;
  j["params"] = l != nullptr ? ParamsJson(*l) : ojson();
  j["disks"] = disks;
  return j;
}

}  // namespace

ojson StatusToJson(const StatusReport& report) {
  ojson j = ojson::object();
  j["schema_version"] = 1;
  j["module_loaded"] = report.module_loaded;
  j["config"] = TextOrNull(report.config_file);
  ojson targets = ojson::array();
  for (const StatusTarget& t : report.targets) {
    ojson portals = ojson::array();
    for (const StatusPortal& p : t.portals) {
      ojson sessions = ojson::array();
      for (const StatusSession& s : p.sessions) {
        sessions.push_back(SessionJson(s));
      }
      portals.push_back({{"address", p.address}, {"port", p.port}, {"sessions", sessions}});
    }
    targets.push_back({{"name", t.name}, {"portals", portals}});
  }
  j["targets"] = targets;
  return j;
}

ojson NicsToJson(const std::vector<NicInfo>& nics) {
  ojson arr = ojson::array();
  for (const NicInfo& n : nics) {
    ojson j = ojson::object();
    j["name"] = n.name;
    j["ifindex"] = n.ifindex;
    j["mac"] = TextOrNull(n.mac);
    j["perm_mac"] = TextOrNull(n.perm_mac);
    j["operstate"] = TextOrNull(n.operstate);
    j["carrier"] = n.carrier;
    j["addresses"] = n.addresses;
    j["driver"] = TextOrNull(n.driver);
    j["pci_slot"] = TextOrNull(n.pci_slot);
    j["serial"] = TextOrNull(n.serial);
    arr.push_back(j);
  }
  return ojson{{"schema_version", 1}, {"nics", arr}};
}

}  // namespace iscsictl
