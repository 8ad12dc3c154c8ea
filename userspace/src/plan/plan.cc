#include "plan/plan.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "base/names.h"

namespace iscsictl {
namespace {

bool IsLinkLocal(const std::string& address) {
  return ToLower(address).rfind("fe80", 0) == 0 || address.rfind("169.254.", 0) == 0;
}

bool HasUsableAddress(const NicFacts& nic) {
  return std::any_of(nic.addresses.begin(), nic.addresses.end(),
                     [](const std::string& a) { return !IsLinkLocal(a); });
}

// Keys compare target and address canonically (IQNs are case-insensitive).
NodeKey Canonical(NodeKey k) {
  k.target = ToLower(k.target);
  k.address = CanonicalHost(k.address);
  return k;
}

// A session's identity as text (TPGT left out: a session knows it, a config may not).
std::string Identity(const NodeKey& k) {
  NodeKey c = Canonical(k);
  return fmt::format("{},{},{},{}", c.target, c.address, c.port, c.iface);
}

// Observed sessions and node records by identity, built once (plans stay linear in size).
struct Index {
  std::map<std::string, std::vector<const LiveSession*>> sessions;
  std::map<std::string, std::vector<NodeKey>> records;
  explicit Index(const Observed& o) {
    for (const LiveSession& s : o.sessions) {
      sessions[Identity(SessionKey(s))].push_back(&s);
    }
    for (const auto& [key, record] : o.records.nodes) {
      records[Identity(key)].push_back(key);
    }
  }
  const std::vector<NodeKey>& RecordsOf(const NodeKey& k) const {
    static const std::vector<NodeKey> kNone;
    auto it = records.find(Identity(k));
    return it == records.end() ? kNone : it->second;
  }
};

// The session's disks that are in use, with the reason ("sda: mounted on /mnt").
std::vector<std::pair<std::string, const DiskUse*>> DisksInUse(const LiveSession& s,
                                                               const Observed& observed) {
  std::vector<std::pair<std::string, const DiskUse*>> out;
  for (const LiveDisk& d : s.disks) {
    auto it = observed.disks.find(d.block);
    if (!d.block.empty() && it != observed.disks.end() && it->second.in_use) {
      out.emplace_back(d.block, &it->second);
    }
  }
  return out;
}

// Does a LOGGED_IN session other than those in `leaving` reach a disk with this WWID?
bool HasOtherPath(const std::string& wwid, const Observed& observed, const std::set<int>& leaving) {
  if (wwid.empty()) {
    return false;
  }
  for (const LiveSession& s : observed.sessions) {
    if (leaving.count(s.sid) != 0 || s.state != "LOGGED_IN") {
      continue;
    }
    for (const LiveDisk& d : s.disks) {
      auto it = observed.disks.find(d.block);
      if (it != observed.disks.end() && it->second.wwid == wwid) {
        return true;
      }
    }
  }
  return false;
}

// Splits wanted logouts into those allowed and those refused by the last-path rule.
// Sessions are considered in order; each allowed one counts as gone for the next.
void CheckLastPaths(const std::vector<std::pair<const LiveSession*, std::string>>& candidates,
                    const Observed& observed, bool force, Plan& plan,
                    std::vector<std::pair<const LiveSession*, std::string>>& allowed) {
  std::set<int> leaving;
  for (const auto& [s, reason] : candidates) {
    leaving.insert(s->sid);
  }
  for (const auto& [s, reason] : candidates) {
    std::string blocker;
    for (const auto& [block, use] : DisksInUse(*s, observed)) {
      if (!HasOtherPath(use->wwid, observed, leaving)) {
        blocker = fmt::format("{} ({}) has no other path", block, use->why);
        break;
      }
    }
    if (blocker.empty()) {
      allowed.emplace_back(s, reason);
    } else if (force) {
      allowed.emplace_back(s, reason + "; forced: " + blocker);
    } else {
      leaving.erase(s->sid);
      plan.notes.push_back({NoteKind::kKept, SessionKey(*s), s->sid,
                            fmt::format("not logged out ({}): {}; use --force", reason, blocker)});
    }
  }
}

void AddLogouts(const std::vector<std::pair<const LiveSession*, std::string>>& allowed,
                const Index& index, const std::set<NodeKey>& keep_records, Plan& plan) {
  for (const auto& [s, reason] : allowed) {
    plan.actions.push_back({ActionKind::kLogout, SessionKey(*s), s->sid, reason, {}, {}});
  }
  // Node records of logged-out sessions go after their logout, unless still wanted.
  for (const auto& [s, reason] : allowed) {
    NodeKey key = SessionKey(*s);
    if (!IsOwnedIface(key.iface) || keep_records.count(key) != 0) {
      continue;
    }
    for (const NodeKey& rkey : index.RecordsOf(key)) {
      if (keep_records.count(rkey) == 0) {
        plan.actions.push_back(
            {ActionKind::kDeleteNode, rkey, s->sid, "its session is logged out", {}, {}});
      }
    }
  }
}

}  // namespace

bool Scope::Matches(const NodeKey& key) const {
  return (target.empty() || ToLower(target) == ToLower(key.target)) &&
         (address.empty() || CanonicalHost(address) == CanonicalHost(key.address)) &&
         (!port || *port == key.port) && (iface.empty() || iface == key.iface);
}

bool Scope::IsAll() const {
  return target.empty() && address.empty() && !port && iface.empty();
}

std::string_view ActionName(ActionKind kind) {
  switch (kind) {
    case ActionKind::kWriteIface:
      return "write-iface";
    case ActionKind::kWriteNode:
      return "write-node";
    case ActionKind::kLogin:
      return "login";
    case ActionKind::kLogout:
      return "logout";
    case ActionKind::kDeleteNode:
      return "delete-node";
    case ActionKind::kDeleteIface:
      return "delete-iface";
  }
  return "?";
}

std::string_view NoteName(NoteKind kind) {
  switch (kind) {
    case NoteKind::kKept:
      return "kept";
    case NoteKind::kRecovery:
      return "recovery";
    case NoteKind::kWaiting:
      return "waiting";
    case NoteKind::kForeign:
      return "foreign";
    case NoteKind::kStale:
      return "stale";
    case NoteKind::kProblem:
      return "problem";
  }
  return "?";
}

std::string Action::Subject() const {
  if (kind == ActionKind::kWriteIface || kind == ActionKind::kDeleteIface) {
    return key.iface;
  }
  if (kind == ActionKind::kLogout) {
    return fmt::format("session {} ({})", sid, key.ToString());
  }
  return key.ToString();
}

bool Plan::Blocked() const {
  return std::any_of(notes.begin(), notes.end(), [](const Note& n) {
    return n.kind == NoteKind::kKept || n.kind == NoteKind::kProblem;
  });
}

NodeKey SessionKey(const LiveSession& s) {
  NodeKey k;
  k.target = s.targetname;
  k.tpgt = s.tpgt.value_or(-1);
  k.iface = s.ifacename;
  if (!s.connections.empty()) {
    k.address = s.connections.front().PortalAddress();
    k.port = s.connections.front().PortalPort();
  }
  return k;
}

std::vector<DesiredBinding> MakeBindings(const std::vector<DesiredSession>& sessions,
                                         const std::vector<NicFacts>& nics, const RecordDb& records,
                                         const SecretValues& secrets, const std::string& file,
                                         ConfigErrors& errors) {
  std::vector<DesiredBinding> out;
  for (const BoundSession& bound : BindSessions(sessions, nics, file, errors)) {
    const DesiredSession& d = sessions[bound.desired_index];
    DesiredBinding b;
    b.pointer = d.pointer;
    b.key.target = d.target;
    b.key.tpgt = static_cast<int>(d.tpgt.value_or(1));
    if (!d.conns.empty()) {
      b.key.address = d.conns.front().address.value_or("");
      b.key.port = static_cast<int>(d.conns.front().port.value_or(3260));
    }
    switch (d.iface.kind) {
      case Iface::Kind::kDefault:
        b.key.iface = std::string(kDefaultOwnedIface);
        b.iface_fields = IfaceFields(b.key.iface, "");
        break;
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
          continue;
        }
        break;
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
        break;
    }
    b.node_fields = NodeFields(d, b.key, b.iface_fields, secrets);
    out.push_back(std::move(b));
  }
  return out;
}

Plan MakePlan(const std::vector<DesiredBinding>& desired, const Observed& observed,
              const PlanOptions& options) {
  Plan plan;
  std::set<std::string> ifaces_written;
  std::set<std::string> ifaces_wanted;
  std::set<NodeKey> records_wanted;
  std::set<int> sessions_wanted;
  std::vector<std::pair<const LiveSession*, std::string>> logouts;
  std::vector<Action> logins;

  const Index index(observed);
  std::set<std::string> seen;
  for (const DesiredBinding& b : desired) {
    if (!options.scope.Matches(b.key) || !seen.insert(Identity(b.key)).second) {
      continue;
    }
    ifaces_wanted.insert(b.key.iface);
    records_wanted.insert(b.key);
    // Iface record.
    if (b.owned_iface && ifaces_written.insert(b.key.iface).second) {
      auto it = observed.records.ifaces.find(b.key.iface);
      const RecordFields none;
      std::vector<std::string> changed = ChangedKeys(
          b.iface_fields, it == observed.records.ifaces.end() ? none : it->second.fields);
      if (!changed.empty()) {
        NodeKey k;
        k.iface = b.key.iface;
        std::string why = it == observed.records.ifaces.end()
                              ? (b.nic.empty() ? "new iface (default route)"
                                               : fmt::format("new iface for {} ({})", b.nic, b.mac))
                              : "iface record differs";
        plan.actions.push_back({ActionKind::kWriteIface, k, -1, why, changed, b.iface_fields});
      }
    }
    // Node record.
    auto rec = observed.records.nodes.find(b.key);
    const RecordFields none;
    std::vector<std::string> changed =
        ChangedKeys(b.node_fields, rec == observed.records.nodes.end() ? none : rec->second.fields);
    bool record_changed = !changed.empty() && rec != observed.records.nodes.end();
    if (!changed.empty()) {
      plan.actions.push_back({ActionKind::kWriteNode, b.key, -1,
                              record_changed ? fmt::format("{} differs from the config", b.pointer)
                                             : fmt::format("wanted by {}", b.pointer),
                              changed, b.node_fields});
    }
    // Session.
    std::vector<const LiveSession*> matches;
    if (auto it = index.sessions.find(Identity(b.key)); it != index.sessions.end()) {
      matches = it->second;
    }
    if (matches.empty()) {
      if (!b.nic_ready) {
        plan.notes.push_back({NoteKind::kWaiting, b.key, -1,
                              fmt::format("{} {}: no login", b.nic,
                                          b.not_ready.empty() ? "is not ready" : b.not_ready)});
      } else {
        logins.push_back({ActionKind::kLogin,
                          b.key,
                          -1,
                          fmt::format("wanted by {}, no session", b.pointer),
                          {},
                          {}});
      }
      continue;
    }
    // Keep the logged-in session with the lowest sid (else the first): others are duplicates.
    auto keep = std::find_if(matches.begin(), matches.end(),
                             [](const LiveSession* s) { return s->state == "LOGGED_IN"; });
    const LiveSession* kept = keep != matches.end() ? *keep : matches.front();
    sessions_wanted.insert(kept->sid);
    if (kept->state != "LOGGED_IN") {
      plan.notes.push_back({NoteKind::kRecovery, b.key, kept->sid,
                            fmt::format("session {} is {}: left to iscsid's recovery", kept->sid,
                                        kept->state.empty() ? "in recovery" : kept->state)});
    } else if (record_changed) {
      plan.notes.push_back({NoteKind::kStale, b.key, kept->sid,
                            fmt::format("session {} keeps its negotiated parameters until its "
                                        "next login",
                                        kept->sid)});
    }
    for (const LiveSession* s : matches) {
      if (s != kept && options.allow_logout) {
        logouts.emplace_back(s, fmt::format("duplicate of session {}", kept->sid));
      } else if (s != kept) {
        sessions_wanted.insert(s->sid);
      }
    }
  }

  // Sessions nobody wants.
  std::set<int> duplicates;
  for (const auto& l : logouts) {
    duplicates.insert(l.first->sid);
  }
  size_t foreign = 0;
  for (const LiveSession& s : observed.sessions) {
    NodeKey key = SessionKey(s);
    if (sessions_wanted.count(s.sid) != 0 || !options.scope.Matches(key) ||
        duplicates.count(s.sid) != 0) {
      continue;
    }
    if (!IsOwnedIface(key.iface)) {
      ++foreign;
      continue;
    }
    if (options.allow_logout) {
      logouts.emplace_back(&s, "not in the config (or its NIC is gone)");
    }
  }
  if (foreign > 0) {
    plan.notes.push_back({NoteKind::kForeign,
                          {},
                          -1,
                          fmt::format("{} session{} not made by iscsictl left alone", foreign,
                                      foreign == 1 ? "" : "s")});
  }

  for (Action& a : logins) {
    plan.actions.push_back(std::move(a));
  }
  std::vector<std::pair<const LiveSession*, std::string>> allowed;
  CheckLastPaths(logouts, observed, options.force, plan, allowed);
  // Records of refused logouts stay.
  std::set<NodeKey> keep_records = records_wanted;
  std::set<std::string> ifaces_in_use = ifaces_wanted;
  std::set<int> leaving;
  for (const auto& a : allowed) {
    leaving.insert(a.first->sid);
  }
  for (const LiveSession& s : observed.sessions) {
    if (leaving.count(s.sid) == 0) {
      ifaces_in_use.insert(s.ifacename);
      for (const NodeKey& rkey : index.RecordsOf(SessionKey(s))) {
        keep_records.insert(rkey);
      }
    }
  }
  if (options.allow_logout) {
    AddLogouts(allowed, index, keep_records, plan);
    std::set<NodeKey> deleted;
    for (const Action& a : plan.actions) {
      if (a.kind == ActionKind::kDeleteNode) {
        deleted.insert(a.key);
      }
    }
    // Leftover records of iscsictl (e.g. from an interrupted apply).
    for (const auto& [rkey, record] : observed.records.nodes) {
      if (IsOwnedIface(rkey.iface) && options.scope.Matches(rkey) &&
          keep_records.count(rkey) == 0 && deleted.count(rkey) == 0) {
        plan.actions.push_back({ActionKind::kDeleteNode, rkey, -1, "not in the config", {}, {}});
        deleted.insert(rkey);
      }
    }
    for (const auto& [rkey, record] : observed.records.nodes) {
      if (deleted.count(rkey) == 0) {
        ifaces_in_use.insert(rkey.iface);
      }
    }
    if (options.scope.IsAll()) {
      for (const auto& [name, record] : observed.records.ifaces) {
        if (IsOwnedIface(name) && ifaces_in_use.count(name) == 0) {
          NodeKey k;
          k.iface = name;
          plan.actions.push_back(
              {ActionKind::kDeleteIface, k, -1, "no session or node record uses it", {}, {}});
        }
      }
    }
  }
  return plan;
}

Plan MakeLogoutPlan(const Observed& observed, const Scope& scope, bool force) {
  Plan plan;
  std::vector<std::pair<const LiveSession*, std::string>> candidates;
  for (const LiveSession& s : observed.sessions) {
    NodeKey key = SessionKey(s);
    if (scope.Matches(key) && IsOwnedIface(key.iface)) {
      candidates.emplace_back(&s, "asked for");
    }
  }
  std::vector<std::pair<const LiveSession*, std::string>> allowed;
  CheckLastPaths(candidates, observed, force, plan, allowed);
  // `logout` leaves node records: the config still wants them (apply logs in again).
  for (const auto& [s, reason] : allowed) {
    plan.actions.push_back({ActionKind::kLogout, SessionKey(*s), s->sid, reason, {}, {}});
  }
  return plan;
}

}  // namespace iscsictl
