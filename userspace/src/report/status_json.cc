// JSON form of `iscsictl status` and `iscsictl nics` (json-schema/status.schema.json).
#include "report/status_json.h"

#include <string>
#include <string_view>
#include <type_traits>
#include <variant>

#include "model/live_fields.h"

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

// The JSON value of a live field: text (null when empty), a number (null when unset) or,
// for flags, a boolean.
template <class S>
ojson FieldJson(const S& obj, const LiveField<S>& f) {
  return std::visit(
      [&](auto member) -> ojson {
        const auto& v = obj.*member;
        if constexpr (std::is_same_v<std::decay_t<decltype(v)>, std::string>) {
          return f.flag ? BoolOrNull(v) : TextOrNull(v);
        } else {
          return OptOrNull(v);
        }
      },
      f.member);
}

// The field shown under `key`.
template <class S, size_t N>
ojson FieldJson(const S& obj, const std::array<LiveField<S>, N>& fields, std::string_view key) {
  for (const LiveField<S>& f : fields) {
    if (f.json == key) {
      return FieldJson(obj, f);
    }
  }
  return ojson();
}

// Every field shown in an object (`params` false) or in the session's params (true).
template <class S, size_t N>
void PutFields(ojson& j, const S* obj, const std::array<LiveField<S>, N>& fields, bool params) {
  for (const LiveField<S>& f : fields) {
    if (!f.json.empty() && f.params == params) {
      j[std::string(f.json)] = obj != nullptr ? FieldJson(*obj, f) : ojson();
    }
  }
}

ojson ConnectionJson(const LiveConnection& c) {
  ojson j = ojson::object();
  j["cid"] = c.cid;
  PutFields(j, &c, kConnectionFields, false);
  return j;
}

ojson ParamsJson(const LiveSession& s) {
  ojson j = ojson::object();
  PutFields(j, &s, kSessionFields, true);
  PutFields(j, s.connections.empty() ? nullptr : &s.connections.front(), kConnectionFields, true);
  return j;
}

ojson DiskJson(const LiveDisk& d) {
  ojson j = ojson::object();
  PutFields(j, &d, kDiskFields, false);
  j["holders"] = d.holders;
  return j;
}

ojson SessionJson(const StatusSession& s) {
  ojson j = ojson::object();
  const LiveSession* l = s.live ? &*s.live : nullptr;
  j["sid"] = l != nullptr ? ojson(l->sid) : ojson();
  j["presence"] = s.presence;
  j["state"] = l != nullptr ? FieldJson(*l, kSessionFields, "state") : ojson();
  j["record_id"] = TextOrNull(s.record_id);
  j["transport"] = s.transport;
  j["host"] = s.host ? ojson("host" + std::to_string(s.host->host_no)) : ojson();
  j["driver"] = s.host ? FieldJson(*s.host, kHostFields, "driver") : ojson();
  j["iface_record"] = l != nullptr ? FieldJson(*l, kSessionFields, "iface_record") : ojson();
  j["tpgt"] = l != nullptr ? FieldJson(*l, kSessionFields, "tpgt") : ojson();
  j["local_address"] = s.host ? FieldJson(*s.host, kHostFields, "local_address") : ojson();
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
  j["module_note"] = TextOrNull(report.module_note);
  j["live_source"] = TextOrNull(report.live_via);
  j["live_fallback"] = TextOrNull(report.live_fallback);
  if (!report.module_refusal.empty()) j["module_refusal"] = report.module_refusal;
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
