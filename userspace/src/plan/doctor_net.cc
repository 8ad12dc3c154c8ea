#include "plan/doctor_net.h"

#include <arpa/inet.h>
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <optional>
#include <set>

#include "base/portal.h"
#include "plan/iface_match.h"

namespace iscsictl {
namespace {

void AddOnce(std::vector<std::string>& list, const std::string& s) {
  if (std::find(list.begin(), list.end(), s) == list.end()) {
    list.push_back(s);
  }
}

DoctorTarget& TargetNamed(std::vector<DoctorTarget>& targets, const std::string& name) {
  for (DoctorTarget& t : targets) {
    if (t.name == name) {
      return t;
    }
  }
  targets.push_back({name, {}, 0, {}});
  return targets.back();
}

bool IsV6(const std::string& address) { return address.find(':') != std::string::npos; }

std::string WithoutPrefix(const std::string& address) {
  return address.substr(0, address.find('/'));
}

// The NIC's address to bind to for `portal`: of its family, one whose subnet holds the
// portal first; IPv6 link-local addresses never (they need a scope). "" if none.
std::string SourceFor(const std::vector<std::string>& addresses, const std::string& portal) {
  std::string any;
  for (const std::string& a : addresses) {
    if (IsV6(a) != IsV6(portal) || a.starts_with("fe80:")) {
      continue;
    }
    if (a.find('/') != std::string::npos && InSubnet(portal, a)) {
      return WithoutPrefix(a);
    }
    if (any.empty()) {
      any = WithoutPrefix(a);
    }
  }
  return any;
}

void AddProbes(const DesiredSession& d, const NicFacts& nic, std::vector<PortalProbe>& probes) {
  for (const ConnParams& c : d.conns) {
    std::string address = c.address.value_or("");
    int port = static_cast<int>(c.port.value_or(3260));
    bool known = std::any_of(probes.begin(), probes.end(), [&](const PortalProbe& p) {
      return p.nic == nic.name && p.address == address && p.port == port;
    });
    if (address.empty() || known) {
      continue;
    }
    PortalProbe p;
    p.nic = nic.name;
    p.address = address;
    p.port = port;
    p.source = SourceFor(nic.addresses, address);
    probes.push_back(p);
  }
}

const NicInfo* Named(const std::vector<NicInfo>& nics, const std::string& name) {
  auto it = std::find_if(nics.begin(), nics.end(), [&](const NicInfo& n) { return n.name == name; });
  return it == nics.end() ? nullptr : &*it;
}

// For each selected NIC with an IPv4 subnet another selected NIC shares: that subnet and
// the other NIC (the first found), for the message.
std::map<std::string, std::pair<std::string, std::string>> SharedSubnets(
    const std::vector<std::string>& selected, const std::vector<NicInfo>& nics) {
  std::map<std::string, std::set<std::string>> by_subnet;  // subnet -> NICs
  for (const std::string& name : selected) {
    if (const NicInfo* n = Named(nics, name)) {
      for (const std::string& a : n->addresses) {
        if (std::string net = Ipv4Network(a); !net.empty()) {
          by_subnet[net].insert(name);
        }
      }
    }
  }
  std::map<std::string, std::pair<std::string, std::string>> out;
  for (const auto& [net, members] : by_subnet) {
    for (const std::string& m : members) {
      for (const std::string& other : members) {
        if (other != m && out.count(m) == 0) {
          out[m] = {net, other};
        }
      }
    }
  }
  return out;
}

std::optional<int> Effective(std::optional<int> all, std::optional<int> nic) {
  if (all && nic) {
    return std::max(*all, *nic);
  }
  return nic ? nic : all;
}

struct ArpFix {
  std::vector<std::string> problems;  // "arp_ignore 0 (want 1 or 2)"
  std::vector<std::string> keys;      // "net.ipv4.conf.ve0.arp_ignore=1"
};

// One sysctl: judged on max(all, NIC); fixed on the NIC, and on "all" too when all's own
// value alone is bad (max() keeps it whatever the NIC says).
void JudgeKey(const std::string& nic, const char* key, std::optional<int> all,
              std::optional<int> own, bool (*good)(int), int want, const char* want_text,
              ArpFix& fix) {
  std::optional<int> eff = Effective(all, own);
  if (!eff || good(*eff)) {
    return;
  }
  fix.problems.push_back(fmt::format("{} {} (want {})", key, *eff, want_text));
  int all_after = all.value_or(0);
  if (all && !good(std::max(*all, want))) {
    fix.keys.push_back(fmt::format("net.ipv4.conf.all.{}={}", key, want));
    all_after = want;
  }
  if (!own || !good(std::max(all_after, *own))) {
    fix.keys.push_back(fmt::format("net.ipv4.conf.{}.{}={}", nic, key, want));
  }
}

bool IgnoreOk(int v) { return v == 1 || v == 2; }
bool AnnounceOk(int v) { return v == 2; }
bool RpFilterOk(int v) { return v == 0 || v == 2; }

std::vector<std::string> ArpFixLines(const std::vector<std::string>& keys) {
  std::string joined;
  for (const std::string& k : keys) {
    joined += " " + k;
  }
  std::vector<std::string> lines{"sysctl -w" + joined,
                                 fmt::format("and in {} (kept across boots):", kArpDropIn)};
  for (const std::string& k : keys) {
    size_t eq = k.find('=');
    lines.push_back(fmt::format("  {} = {}", k.substr(0, eq), k.substr(eq + 1)));
  }
  return lines;
}

std::string Join(const std::vector<std::string>& parts, const char* sep) {
  std::string out;
  for (const std::string& p : parts) {
    out += (out.empty() ? "" : sep) + p;
  }
  return out;
}

}  // namespace

DoctorScope MakeDoctorScope(const std::vector<DesiredSession>& sessions,
                            const std::vector<NicInfo>& nics) {
  DoctorScope scope;
  for (const BoundSession& b : BindSessions(sessions, FactsOf(nics))) {
    const DesiredSession& d = sessions[b.desired_index];
    DoctorTarget& target = TargetNamed(scope.targets, d.target);
    ++target.sessions;
    if (d.params.replacement_timeout &&
        std::find(target.replacement_timeouts.begin(), target.replacement_timeouts.end(),
                  *d.params.replacement_timeout) == target.replacement_timeouts.end()) {
      target.replacement_timeouts.push_back(*d.params.replacement_timeout);
    }
    if (!b.absent.empty()) {
      ++scope.absent;
      continue;
    }
    if (b.nic.name.empty()) {
      ++scope.unbound;
      continue;
    }
    AddOnce(scope.nics, b.nic.name);
    AddOnce(target.nics, b.nic.name);
    AddProbes(d, b.nic, scope.probes);
  }
  return scope;
}

std::string Ipv4Network(const std::string& address) {
  size_t slash = address.find('/');
  if (slash == std::string::npos) {
    return "";
  }
  std::string host = address.substr(0, slash);
  std::string len = address.substr(slash + 1);
  int prefix = -1;
  auto [end, ec] = std::from_chars(len.data(), len.data() + len.size(), prefix);
  in_addr a{};
  if (ec != std::errc() || end != len.data() + len.size() || prefix < 0 || prefix > 32 ||
      inet_pton(AF_INET, host.c_str(), &a) != 1) {
    return "";
  }
  uint32_t mask = prefix == 0 ? 0 : ~uint32_t{0} << (32 - prefix);
  a.s_addr = htonl(ntohl(a.s_addr) & mask);
  char buf[INET_ADDRSTRLEN];
  inet_ntop(AF_INET, &a, buf, sizeof buf);
  return fmt::format("{}/{}", buf, prefix);
}

std::vector<DoctorFinding> CheckArpFlux(const std::vector<std::string>& selected,
                                        const std::vector<NicInfo>& nics,
                                        const std::map<std::string, Ipv4Conf>& conf) {
  std::vector<DoctorFinding> findings;
  Ipv4Conf all;
  if (auto it = conf.find("all"); it != conf.end()) {
    all = it->second;
  }
  for (const auto& [nic, shared] : SharedSubnets(selected, nics)) {
    auto it = conf.find(nic);
    Ipv4Conf own = it == conf.end() ? Ipv4Conf{} : it->second;
    ArpFix fix;
    JudgeKey(nic, "arp_ignore", all.arp_ignore, own.arp_ignore, IgnoreOk, 1, "1 or 2", fix);
    JudgeKey(nic, "arp_announce", all.arp_announce, own.arp_announce, AnnounceOk, 2, "2", fix);
    JudgeKey(nic, "rp_filter", all.rp_filter, own.rp_filter, RpFilterOk, 2, "0 or 2", fix);
    if (fix.problems.empty()) {
      continue;
    }
    findings.push_back(
        {"arp",
         fmt::format("{} shares {} with {}: {} (each NIC answers ARP for the others' addresses, "
                     "replies come back on the wrong NIC)",
                     nic, shared.first, shared.second, Join(fix.problems, ", ")),
         ArpFixLines(fix.keys)});
  }
  return findings;
}

std::vector<DoctorFinding> CheckMtu(const DoctorScope& scope, const std::vector<NicInfo>& nics) {
  std::vector<DoctorFinding> findings;
  std::set<std::vector<std::string>> seen;
  for (const DoctorTarget& t : scope.targets) {
    std::map<int, int> count;  // MTU -> NICs
    std::vector<std::pair<std::string, int>> mtus;
    for (const std::string& name : t.nics) {
      const NicInfo* n = Named(nics, name);
      if (n != nullptr && n->mtu > 0) {
        mtus.emplace_back(name, n->mtu);
        ++count[n->mtu];
      }
    }
    std::vector<std::string> key = t.nics;
    if (count.size() < 2 || !seen.insert(key).second) {
      continue;
    }
    int want = std::max_element(count.begin(), count.end(), [](const auto& a, const auto& b) {
                 return a.second < b.second || (a.second == b.second && a.first < b.first);
               })->first;
    std::vector<std::string> listed;
    DoctorFinding f{"mtu", "", {}};
    for (const auto& [name, mtu] : mtus) {
      listed.push_back(fmt::format("{} {}", name, mtu));
      if (mtu != want) {
        f.fix.push_back(fmt::format("ip link set dev {} mtu {}", name, want));
      }
    }
    f.what = fmt::format("the NICs of {} disagree on the MTU: {}", t.name, Join(listed, ", "));
    f.fix.push_back(fmt::format(
        "and the same MTU in the NIC's network configuration (ifupdown `mtu {0}`, "
        "systemd-networkd [Link] MTUBytes={0}, nmcli 802-3-ethernet.mtu {0}); the switch and "
        "the target's portals must carry it too",
        want));
    findings.push_back(std::move(f));
  }
  return findings;
}

std::vector<DoctorFinding> CheckReach(const std::vector<PortalProbe>& probes) {
  std::vector<DoctorFinding> findings;
  for (const PortalProbe& p : probes) {
    if (p.ok) {
      continue;
    }
    std::string portal = FormatPortal(p.address, p.port);
    if (p.source.empty()) {
      findings.push_back({"reach",
                          fmt::format("{} cannot reach portal {}: it has no {} address", p.nic,
                                      portal, IsV6(p.address) ? "IPv6" : "IPv4"),
                          {fmt::format("ip addr add ADDRESS/PREFIX dev {} (an address on the "
                                       "portal's network)",
                                       p.nic)}});
      continue;
    }
    findings.push_back(
        {"reach",
         fmt::format("{} ({}) cannot reach portal {}: {}", p.nic, p.source, portal, p.error),
         {fmt::format("ip link show dev {0}; ping -I {0} {1}   (carrier, cabling, switch port "
                      "and VLAN between {0} and the portal)",
                      p.nic, p.address),
          fmt::format("the target must listen on {} and accept {} (its portal and ACL)", portal,
                      p.source)}});
  }
  return findings;
}

}  // namespace iscsictl
