#include "plan/status_report.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <tuple>
#include <utility>

#include "base/names.h"
#include "plan/iface_match.h"
#include "plan/record_id.h"

namespace iscsictl {

std::string ModuleRefusal(const ModuleSigning& s) {
  if (!s.Enforced() || s.file.empty()) {
    return "";
  }
  std::string why;
  if (s.sig_enforce) {
    why = "module.sig_enforce";
  }
  if (!s.lockdown.empty()) {
    why += (why.empty() ? "" : ", ") + std::string("lockdown (") + s.lockdown + ", Secure Boot)";
  }
  std::string enroll = "enroll DKMS's key: mokutil --import /var/lib/dkms/mok.pub, reboot";
  if (s.file_signed == std::optional<bool>(false)) {
    return "the kernel loads signed modules only (" + why + ") and " + s.file +
           " is unsigned: rebuild it with dkms (which signs it) and " + enroll;
  }
  if (s.file_signed == std::optional<bool>(true)) {
    return "the kernel loads signed modules only (" + why + "); " + s.file +
           " is signed: if modprobe says \"Key was rejected by service\", " + enroll;
  }
  return "the kernel loads signed modules only (" + why + "); " + s.file +
         " must be signed with an enrolled key: " + enroll;
}

namespace {

// Values iscsid and the kernel print for "not set".
bool Unset(const std::string& v) {
  return v.empty() || v == "default" || v == "(null)" || v == "<empty>";
}

const NicInfo* FindNicByAddress(const std::vector<NicInfo>& nics, const std::string& ip) {
  std::string want = CanonicalHost(ip);
  for (const NicInfo& n : nics) {
    for (const std::string& a : n.addresses) {
      if (CanonicalHost(a.substr(0, a.find('/'))) == want) {
        return &n;
      }
    }
  }
  return nullptr;
}

StatusNic ResolveNic(const LiveSession& s, const LiveHost* h, const std::vector<NicInfo>& nics) {
  StatusNic n;
  const LiveConnection* c = s.connections.empty() ? nullptr : &s.connections.front();
  if (h != nullptr && !h->IsSoftware()) {
    // Offload HBA: the driver reports the card's own MAC; the PCI function is the host's.
    n.source = "hba";
    n.netdev = Unset(h->netdev) ? "" : h->netdev;
    n.mac = !h->hba_hwaddress.empty() ? h->hba_hwaddress
                                      : (IsMacAddress(h->hwaddress) ? h->hwaddress : "");
    n.verified = !n.mac.empty();
    n.pci_slot = !h->hba_pci_slot.empty() ? h->hba_pci_slot : h->pci_slot;
    n.serial = h->hba_serial;
  } else if (c != nullptr && (c->has_module_attrs || c->has_kernel_attrs) && !c->iface.empty()) {
    n.source = c->has_kernel_attrs ? "kernel" : "module";
    n.verified = true;
    n.netdev = c->iface;
    n.mac = c->iface_hwaddress;
    if (h != nullptr && h->has_module_attrs) {
      n.pci_slot = h->hba_pci_slot;
      n.serial = h->hba_serial;
    }
  } else if (h != nullptr) {
    // iscsid's view: what it pushed from its iface record. Unverified.
    n.source = "iscsid";
    n.netdev = Unset(h->netdev) ? "" : h->netdev;
    n.mac = IsMacAddress(h->hwaddress) ? h->hwaddress : "";
    if (n.netdev.empty() && n.mac.empty() && !Unset(h->ipaddress)) {
      if (const NicInfo* nic = FindNicByAddress(nics, h->ipaddress)) {
        n.source = "ipaddress";
        n.netdev = nic->name;
      }
    }
  }
  // Complete from the NIC inventory what sysfs did not say (never overriding it).
  const NicInfo* nic = nullptr;
  if (n.source != "hba") {
    nic = !n.netdev.empty() ? FindNic(nics, n.netdev) : FindNicByMac(nics, n.mac);
  }
  if (nic != nullptr) {
    if (n.netdev.empty()) {
      n.netdev = nic->name;
    }
    if (n.mac.empty()) {
      n.mac = nic->mac;
    }
    if (n.pci_slot.empty() && n.serial.empty()) {
      n.pci_slot = nic->pci_slot;
      n.serial = nic->serial;
    }
  }
  if (IsMacAddress(n.mac)) {
    n.mac = NormalizeMac(n.mac);
  }
  return n;
}

std::string MakeRecordId(const std::string& target, const std::string& address, int port,
                         const std::string& transport, const StatusNic& nic) {
  return RecordId({target, address, port, transport, nic.pci_slot, nic.mac});
}

// A session the config asks for, with its NIC made concrete where possible.
struct Expected {
  const DesiredSession* desired = nullptr;
  std::string address;
  int port = 3260;
  Iface::Kind kind = Iface::Kind::kDefault;
  std::string netdev;
  std::string mac;
  std::string record;  // open-iscsi iface record name (kRecord, kDefault)
};

std::vector<Expected> Expand(const std::vector<DesiredSession>& desired,
                             const std::vector<NicInfo>& nics) {
  std::vector<NicFacts> facts;
  facts.reserve(nics.size());
  for (const NicInfo& n : nics) {
    facts.push_back(n.Facts());
  }
  std::vector<Expected> out;
  for (const DesiredSession& d : desired) {
    Expected e;
    e.desired = &d;
    if (!d.conns.empty()) {
      e.address = d.conns.front().address.value_or("");
      e.port = static_cast<int>(d.conns.front().port.value_or(3260));
    }
    e.kind = d.iface.kind;
    switch (d.iface.kind) {
      case Iface::Kind::kMac:
        e.mac = NormalizeMac(d.iface.value);
        if (const NicInfo* n = FindNicByMac(nics, e.mac)) {
          e.netdev = n->name;
        }
        out.push_back(e);
        break;
      case Iface::Kind::kNetdev:
        e.netdev = d.iface.value;
        if (const NicInfo* n = FindNic(nics, e.netdev)) {
          e.mac = n->mac;
        }
        out.push_back(e);
        break;
      case Iface::Kind::kRecord:
        e.record = d.iface.value;
        out.push_back(e);
        break;
      case Iface::Kind::kDefault:
        e.record = "default";
        out.push_back(e);
        break;
      case Iface::Kind::kRule: {
        std::vector<NicFacts> selected = SelectNics(d.iface, facts);
        for (const NicFacts& f : selected) {
          Expected one = e;
          one.netdev = f.name;
          one.mac = IsMacAddress(f.mac) ? NormalizeMac(f.mac) : f.mac;
          out.push_back(one);
        }
        if (selected.empty()) {
          out.push_back(e);  // no NIC matches the rule yet: shown as missing
        }
        break;
      }
    }
  }
  return out;
}

bool Matches(const Expected& e, const StatusSession& s) {
  const LiveSession& l = *s.live;
  if (l.connections.empty() || ToLower(l.targetname) != ToLower(e.desired->target)) {
    return false;
  }
  const LiveConnection& c = l.connections.front();
  if (CanonicalHost(c.PortalAddress()) != CanonicalHost(e.address) || c.PortalPort() != e.port) {
    return false;
  }
  switch (e.kind) {
    case Iface::Kind::kMac:
      return s.nic.mac == e.mac;
    case Iface::Kind::kNetdev:
    case Iface::Kind::kRule:
      return !e.netdev.empty() && s.nic.netdev == e.netdev;
    case Iface::Kind::kRecord:
    case Iface::Kind::kDefault:
      return l.ifacename == e.record;
  }
  return false;
}

StatusSession Missing(const Expected& e) {
  StatusSession s;
  s.presence = "missing";
  s.transport = e.desired->transport.empty() ? "tcp" : e.desired->transport;
  s.config_pointer = e.desired->pointer;
  s.target = e.desired->target;
  s.portal_address = e.address;
  s.portal_port = e.port;
  s.nic.source = "config";
  s.nic.netdev = e.netdev;
  s.nic.mac = e.mac;
  if (!e.mac.empty() && s.transport == "tcp") {
    s.record_id = MakeRecordId(e.desired->target, e.address, e.port, s.transport, s.nic);
  }
  return s;
}

}  // namespace

size_t StatusReport::SessionCount() const {
  size_t n = 0;
  for (const StatusTarget& t : targets) {
    for (const StatusPortal& p : t.portals) {
      n += p.sessions.size();
    }
  }
  return n;
}

namespace {

// Every live session with its host, NIC and record ID.
std::vector<StatusSession> LiveSessions(const LiveState& live, const std::vector<NicInfo>& nics,
                                        bool& module_loaded) {
  std::vector<StatusSession> all;
  for (const LiveSession& l : live.sessions) {
    StatusSession s;
    const LiveHost* h = live.FindHost(l.host_no);
    if (h != nullptr) {
      s.host = *h;
      module_loaded = module_loaded || h->has_module_attrs;
    }
    s.target = l.targetname;
    s.transport = h != nullptr ? h->Transport() : "tcp";
    s.nic = ResolveNic(l, h, nics);
    if (!l.connections.empty()) {
      const LiveConnection& c = l.connections.front();
      s.portal_address = c.PortalAddress();
      s.portal_port = c.PortalPort();
      s.record_id = MakeRecordId(l.targetname, s.portal_address, s.portal_port, s.transport, s.nic);
    }
    s.live = l;
    all.push_back(std::move(s));
  }
  return all;
}

// Marks the live sessions the config asks for as configured, the others as not in the
// config, and adds the configured sessions that are not there as missing.
void MatchConfig(const std::vector<DesiredSession>& desired, const std::vector<NicInfo>& nics,
                 std::vector<StatusSession>& all) {
  std::vector<bool> used(all.size(), false);
  std::vector<StatusSession> missing;
  for (const Expected& e : Expand(desired, nics)) {
    bool found = false;
    for (size_t i = 0; i < all.size() && !found; ++i) {
      if (!used[i] && Matches(e, all[i])) {
        used[i] = found = true;
        all[i].presence = "configured";
        all[i].config_pointer = e.desired->pointer;
      }
    }
    if (!found) {
      missing.push_back(Missing(e));
    }
  }
  for (size_t i = 0; i < all.size(); ++i) {
    if (!used[i]) {
      all[i].presence = "not-in-config";
    }
  }
  for (StatusSession& m : missing) {
    all.push_back(std::move(m));
  }
}

// targets by name -> portals by (address, port) -> sessions by sid, missing ones last.
std::vector<StatusTarget> Tree(std::vector<StatusSession>& all) {
  std::map<std::string, std::map<std::pair<std::string, int>, std::vector<StatusSession>>> tree;
  for (StatusSession& s : all) {
    tree[s.target][{s.portal_address, s.portal_port}].push_back(std::move(s));
  }
  std::vector<StatusTarget> targets;
  for (auto& [name, portals] : tree) {
    StatusTarget t;
    t.name = name;
    for (auto& [key, sessions] : portals) {
      std::stable_sort(sessions.begin(), sessions.end(),
                       [](const StatusSession& a, const StatusSession& b) {
                         int sa = a.live ? a.live->sid : INT32_MAX;
                         int sb = b.live ? b.live->sid : INT32_MAX;
                         return sa < sb;
                       });
      t.portals.push_back(StatusPortal{key.first, key.second, std::move(sessions)});
    }
    targets.push_back(std::move(t));
  }
  return targets;
}

}  // namespace

StatusReport BuildStatus(const LiveState& live, const std::vector<NicInfo>& nics,
                         const std::vector<DesiredSession>* desired,
                         const std::string& config_file) {
  StatusReport report;
  report.config_file = desired != nullptr ? config_file : "";
  report.module_loaded = live.module_loaded;
  report.module_note = live.module_note;
  report.live_via = live.via;
  report.live_fallback = live.fallback;
  std::vector<StatusSession> all = LiveSessions(live, nics, report.module_loaded);
  if (desired != nullptr) {
    MatchConfig(*desired, nics, all);
  }
  report.targets = Tree(all);
  return report;
}

}  // namespace iscsictl
