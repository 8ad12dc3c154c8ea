#include "plan/bindings.h"

#include <fmt/format.h>

#include <algorithm>

#include "base/names.h"
#include "plan/iface_match.h"

namespace iscsictl {
namespace {

bool IsLinkLocal(const std::string& address) {
  return ToLower(address).rfind("fe80", 0) == 0 || address.rfind("169.254.", 0) == 0;
}

bool HasUsableAddress(const NicFacts& nic) {
  return std::any_of(nic.addresses.begin(), nic.addresses.end(),
                     [](const std::string& a) { return !IsLinkLocal(a); });
}

// The iface record a bound session goes through; false (error added) if it cannot be.
bool BindIface(const DesiredSession& d, const BoundSession& bound, const RecordDb& records,
               const std::string& file, DesiredBinding& b, ConfigErrors& errors) {
  switch (d.iface.kind) {
    case Iface::Kind::kDefault:
      b.key.iface = std::string(kDefaultOwnedIface);
      b.iface_fields = IfaceFields(b.key.iface, "");
      return true;
    case Iface::Kind::kRecord: {
      b.key.iface = d.iface.value;
      b.owned_iface = IsOwnedIface(b.key.iface);
      auto it = records.ifaces.find(b.key.iface);
      if (it != records.ifaces.end()) {
        b.iface_fields = it->second.fields;
      } else if (!b.owned_iface) {
        errors.push_back({file, JoinPointer(d.pointer, "iface"), 0, 0,
                          fmt::format("open-iscsi iface record '{}' does not exist (iscsiadm "
                                      "-m iface -I {} -o new)",
                                      b.key.iface, b.key.iface)});
        return false;
      }
      return true;
    }
    default:
      b.nic = bound.nic.name;
      b.mac = NormalizeMac(bound.nic.mac);
      // A login before the link is up only sits in TCP retransmission (1 s, 3 s, ...):
      // wait for carrier too; the link event triggers the daemon's next pass.
      b.nic_ready = HasUsableAddress(bound.nic) && bound.nic.carrier;
      b.not_ready = !HasUsableAddress(bound.nic) ? "has no address yet" : "has no carrier";
      b.key.iface = OwnedIfaceName(b.mac);
      b.iface_fields = IfaceFields(b.key.iface, b.mac);
      return true;
  }
}

}  // namespace

std::vector<DesiredBinding> MakeBindings(const std::vector<DesiredSession>& sessions,
                                         const std::vector<NicFacts>& nics, const RecordDb& records,
                                         const SecretValues& secrets, const std::string& file,
                                         ConfigErrors& errors) {
  std::vector<DesiredBinding> out;
  for (const BoundSession& bound : BindSessions(sessions, nics)) {
    const DesiredSession& d = sessions[bound.desired_index];
    DesiredBinding b;
    b.pointer = d.pointer;
    b.key.target = d.target;
    b.key.tpgt = static_cast<int>(d.tpgt.value_or(1));
    if (!d.conns.empty()) {
      b.key.address = d.conns.front().address.value_or("");
      b.key.port = static_cast<int>(d.conns.front().port.value_or(3260));
    }
    if (!bound.absent.empty()) {
      b.absent = bound.absent;
      b.nic_ready = false;
      b.key.iface = d.iface.kind == Iface::Kind::kMac ? OwnedIfaceName(NormalizeMac(d.iface.value))
                                                      : std::string();
      out.push_back(std::move(b));
      continue;
    }
    b.conflict = bound.conflict;
    if (!BindIface(d, bound, records, file, b, errors)) {
      continue;
    }
    b.node_fields = NodeFields(d, b.key, b.iface_fields, secrets);
    out.push_back(std::move(b));
  }
  return out;
}

}  // namespace iscsictl
