#include "plan/plan.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "base/names.h"

namespace iscsictl {
namespace {

using Logout = std::pair<const ObservedSession*, std::string>;  // a session, and why

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
  std::map<std::string, std::vector<const ObservedSession*>> sessions;
  std::map<std::string, std::vector<NodeKey>> records;
  explicit Index(const Observed& o) {
    for (const ObservedSession& s : o.sessions) {
      sessions[Identity(s.key)].push_back(&s);
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

// Does a LOGGED_IN session other than those in `leaving` reach a disk with this WWID?
bool HasOtherPath(const std::string& wwid, const Observed& observed, const std::set<int>& leaving) {
  if (wwid.empty()) {
    return false;
  }
  for (const ObservedSession& s : observed.sessions) {
    if (leaving.count(s.sid) != 0 || s.state != "LOGGED_IN") {
      continue;
    }
    for (const std::string& block : s.blocks) {
      auto it = observed.disks.find(block);
      if (it != observed.disks.end() && it->second.wwid == wwid) {
        return true;
      }
    }
  }
  return false;
}

// The session a block device belongs to (nullptr: none observed).
const ObservedSession* OwnerOf(const std::string& block, const Observed& observed) {
  for (const ObservedSession& s : observed.sessions) {
    if (std::find(s.blocks.begin(), s.blocks.end(), block) != s.blocks.end()) {
      return &s;
    }
  }
  return nullptr;
}

// Does `map` have an active path besides `block`, through a session that stays? A path of
// no observed session (another transport) counts when dm has it active. Without dm's
// states (not readable), a member whose session is LOGGED_IN counts.
bool MapHasOtherPath(const MpathMap& map, const std::string& block, const Observed& observed,
                     const std::set<int>& leaving) {
  for (const MpathPath& p : map.paths) {
    if (p.dev == block || (map.dm_read && p.dm_state != "active")) {
      continue;
    }
    const ObservedSession* owner = p.dev.empty() ? nullptr : OwnerOf(p.dev, observed);
    if (owner == nullptr ? map.dm_read
                         : leaving.count(owner->sid) == 0 && owner->state == "LOGGED_IN") {
      return true;
    }
  }
  return false;
}

// Why logging `s` out would take the last path of a disk in use ("" if it would not).
std::string LastPathOf(const ObservedSession& s, const Observed& observed,
                       const std::set<int>& leaving) {
  for (const std::string& block : s.blocks) {
    if (block.empty()) {
      continue;
    }
    if (const MpathMap* map = observed.multipath.MapOfDisk(block)) {
      if (!MapHasOtherPath(*map, block, observed, leaving)) {
        return fmt::format("{} is the last active path of multipath map {} ({})", block, map->name,
                           map->dm);
      }
      continue;
    }
    auto it = observed.disks.find(block);
    if (it != observed.disks.end() && it->second.in_use &&
        !HasOtherPath(it->second.wwid, observed, leaving)) {
      return fmt::format("{} ({}) has no other path", block, it->second.why);
    }
  }
  return "";
}

// Rule 7: splits wanted logouts into those allowed and those refused (note `kept`).
// Sessions are considered in order; each allowed one counts as gone for the next.
std::vector<Logout> CheckLastPaths(const std::vector<Logout>& candidates, const Observed& observed,
                                   bool force, Plan& plan) {
  std::set<int> leaving;
  for (const auto& [s, reason] : candidates) {
    leaving.insert(s->sid);
  }
  std::vector<Logout> allowed;
  for (const auto& [s, reason] : candidates) {
    std::string blocker = LastPathOf(*s, observed, leaving);
    if (blocker.empty()) {
      allowed.emplace_back(s, reason);
    } else if (force) {
      allowed.emplace_back(s, reason + "; forced: " + blocker);
    } else {
      leaving.erase(s->sid);
      plan.notes.push_back({NoteKind::kKept, s->key, s->sid,
                            fmt::format("not logged out ({}): {}; use --force", reason, blocker)});
    }
  }
  return allowed;
}

// MakePlan's state between its rule steps.
class Planner {
 public:
  Planner(const Observed& observed, const PlanOptions& options)
      : observed_(observed), options_(options), index_(observed) {}

  // Rule 1: a binding counts once per identity, within the scope.
  bool Identity(const DesiredBinding& b) {
    if (!options_.scope.Matches(b.key) || !seen_.insert(iscsictl::Identity(b.key)).second) {
      return false;
    }
    ifaces_wanted_.insert(b.key.iface);
    records_wanted_.insert(b.key);
    return true;
  }

  // Rule 2: records first. True if an existing node record differs (its session is stale).
  bool RecordsFirst(const DesiredBinding& b) {
    if (b.owned_iface && ifaces_written_.insert(b.key.iface).second) {
      auto it = observed_.records.ifaces.find(b.key.iface);
      bool exists = it != observed_.records.ifaces.end();
      std::vector<std::string> changed =
          ChangedKeys(b.iface_fields, exists ? it->second.fields : kNone);
      if (!changed.empty()) {
        std::string why = exists          ? "iface record differs"
                          : b.nic.empty() ? "new iface (default route)"
                                          : fmt::format("new iface for {} ({})", b.nic, b.mac);
        plan_.actions.push_back(
            {ActionKind::kWriteIface, IfaceKey(b.key.iface), -1, why, changed, b.iface_fields});
      }
    }
    auto rec = observed_.records.nodes.find(b.key);
    bool exists = rec != observed_.records.nodes.end();
    std::vector<std::string> changed =
        ChangedKeys(b.node_fields, exists ? rec->second.fields : kNone);
    if (!changed.empty()) {
      plan_.actions.push_back({ActionKind::kWriteNode, b.key, -1,
                               exists ? fmt::format("{} differs from the config", b.pointer)
                                      : fmt::format("wanted by {}", b.pointer),
                               changed, b.node_fields});
    }
    return exists && !changed.empty();
  }

  // Rule 10: a session whose NIC is not there: a note, nothing else (its old sessions, if
  // any, are rule 6's).
  void Absent(const DesiredBinding& b) {
    if (options_.scope.Matches(b.key)) {
      plan_.notes.push_back({NoteKind::kAbsent, b.key, -1, b.absent});
    }
  }

  // Rule 10: sessions that chose one NIC twice: none is made, nothing of theirs goes (their
  // records and sessions are kept as they are); one note per identity.
  void Conflict(const DesiredBinding& b) {
    if (!Identity(b)) {
      return;
    }
    auto found = index_.sessions.find(iscsictl::Identity(b.key));
    if (found != index_.sessions.end()) {
      for (const ObservedSession* s : found->second) {
        sessions_wanted_.insert(s->sid);
      }
    }
    plan_.notes.push_back({NoteKind::kConflict, b.key, -1, b.conflict});
  }

  // Rules 3, 4, 5: the session of a wanted binding: none (log in, or wait for the NIC),
  // one in recovery (left to iscsid), duplicates (the logged-in one stays).
  void WantedSession(const DesiredBinding& b, bool record_changed) {
    auto found = index_.sessions.find(iscsictl::Identity(b.key));
    if (found == index_.sessions.end()) {
      if (!b.nic_ready) {
        plan_.notes.push_back({NoteKind::kWaiting, b.key, -1,
                               fmt::format("{} {}: no login", b.nic,
                                           b.not_ready.empty() ? "is not ready" : b.not_ready)});
      } else {
        logins_.push_back({ActionKind::kLogin,
                           b.key,
                           -1,
                           fmt::format("wanted by {}, no session", b.pointer),
                           {},
                           {}});
      }
      return;
    }
    const std::vector<const ObservedSession*>& matches = found->second;
    auto in = std::find_if(matches.begin(), matches.end(),
                           [](const ObservedSession* s) { return s->state == "LOGGED_IN"; });
    const ObservedSession* kept = in != matches.end() ? *in : matches.front();
    sessions_wanted_.insert(kept->sid);
    if (kept->state != "LOGGED_IN") {
      plan_.notes.push_back({NoteKind::kRecovery, b.key, kept->sid,
                             fmt::format("session {} is {}: left to iscsid's recovery", kept->sid,
                                         kept->state.empty() ? "in recovery" : kept->state)});
    } else if (record_changed) {
      plan_.notes.push_back(
          {NoteKind::kStale, b.key, kept->sid,
           fmt::format("session {} keeps its negotiated parameters until its next login",
                       kept->sid)});
    }
    for (const ObservedSession* s : matches) {
      if (s != kept && options_.allow_logout) {
        logouts_.emplace_back(s, fmt::format("duplicate of session {}", kept->sid));
      } else if (s != kept) {
        sessions_wanted_.insert(s->sid);
      }
    }
  }

  // Rules 6 and 9: iscsictl's sessions nobody wants go; foreign ones are counted.
  void Unwanted() {
    std::set<int> duplicates;
    for (const Logout& l : logouts_) {
      duplicates.insert(l.first->sid);
    }
    size_t foreign = 0;
    for (const ObservedSession& s : observed_.sessions) {
      if (sessions_wanted_.count(s.sid) != 0 || !options_.scope.Matches(s.key) ||
          duplicates.count(s.sid) != 0) {
        continue;
      }
      if (!IsOwnedIface(s.key.iface)) {
        ++foreign;
      } else if (options_.allow_logout) {
        logouts_.emplace_back(&s, "not in the config (or its NIC is gone)");
      }
    }
    if (foreign > 0) {
      plan_.notes.push_back({NoteKind::kForeign,
                             {},
                             -1,
                             fmt::format("{} session{} not made by iscsictl left alone", foreign,
                                         foreign == 1 ? "" : "s")});
    }
  }

  // Rule 6, make before break: the logins, then (rule 7) the logouts the last-path rule
  // allows, each followed by the deletion of its node records that nothing keeps.
  void LoginsThenLogouts() {
    for (Action& a : logins_) {
      plan_.actions.push_back(std::move(a));
    }
    std::vector<Logout> allowed = CheckLastPaths(logouts_, observed_, options_.force, plan_);
    // What stays: the wanted records, and the records and ifaces of sessions that stay.
    keep_records_ = records_wanted_;
    ifaces_in_use_ = ifaces_wanted_;
    std::set<int> leaving;
    for (const Logout& l : allowed) {
      leaving.insert(l.first->sid);
    }
    for (const ObservedSession& s : observed_.sessions) {
      if (leaving.count(s.sid) == 0) {
        ifaces_in_use_.insert(s.key.iface);
        const std::vector<NodeKey>& records = index_.RecordsOf(s.key);
        keep_records_.insert(records.begin(), records.end());
      }
    }
    if (!options_.allow_logout) {
      return;
    }
    for (const auto& [s, reason] : allowed) {
      plan_.actions.push_back({ActionKind::kLogout, s->key, s->sid, reason, {}, {}});
    }
    for (const auto& [s, reason] : allowed) {
      if (!IsOwnedIface(s->key.iface) || keep_records_.count(s->key) != 0) {
        continue;
      }
      for (const NodeKey& rkey : index_.RecordsOf(s->key)) {
        if (keep_records_.count(rkey) == 0 && deleted_.insert(rkey).second) {
          plan_.actions.push_back(
              {ActionKind::kDeleteNode, rkey, s->sid, "its session is logged out", {}, {}});
        }
      }
    }
  }

  // Rule 6: leftover node records of iscsictl (e.g. from an interrupted apply), then the
  // iface records nothing uses any more (only when the whole config is applied).
  void SweepRecords() {
    if (!options_.allow_logout) {
      return;
    }
    for (const auto& [rkey, record] : observed_.records.nodes) {
      if (IsOwnedIface(rkey.iface) && options_.scope.Matches(rkey) &&
          keep_records_.count(rkey) == 0 && deleted_.insert(rkey).second) {
        plan_.actions.push_back({ActionKind::kDeleteNode, rkey, -1, "not in the config", {}, {}});
      }
    }
    for (const auto& [rkey, record] : observed_.records.nodes) {
      if (deleted_.count(rkey) == 0) {
        ifaces_in_use_.insert(rkey.iface);
      }
    }
    if (!options_.scope.IsAll()) {
      return;
    }
    for (const auto& [name, record] : observed_.records.ifaces) {
      if (IsOwnedIface(name) && ifaces_in_use_.count(name) == 0) {
        plan_.actions.push_back({ActionKind::kDeleteIface,
                                 IfaceKey(name),
                                 -1,
                                 "no session or node record uses it",
                                 {},
                                 {}});
      }
    }
  }

  Plan Take() { return std::move(plan_); }

 private:
  static NodeKey IfaceKey(const std::string& iface) {
    NodeKey k;
    k.iface = iface;
    return k;
  }
  inline static const RecordFields kNone;

  const Observed& observed_;
  const PlanOptions& options_;
  const Index index_;
  Plan plan_;
  std::set<std::string> seen_, ifaces_written_, ifaces_wanted_, ifaces_in_use_;
  std::set<NodeKey> records_wanted_, keep_records_, deleted_;
  std::set<int> sessions_wanted_;
  std::vector<Logout> logouts_;
  std::vector<Action> logins_;
};

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
    case NoteKind::kAbsent:
      return "absent";
    case NoteKind::kConflict:
      return "conflict";
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
    return n.kind == NoteKind::kKept || n.kind == NoteKind::kProblem ||
           n.kind == NoteKind::kAbsent || n.kind == NoteKind::kConflict ||
           n.kind == NoteKind::kWaiting;
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

std::vector<ObservedSession> ObserveSessions(const std::vector<LiveSession>& sessions) {
  std::vector<ObservedSession> out;
  out.reserve(sessions.size());
  for (const LiveSession& s : sessions) {
    ObservedSession o{s.sid, SessionKey(s), s.state, {}};
    for (const LiveDisk& d : s.disks) {
      o.blocks.push_back(d.block);
    }
    out.push_back(std::move(o));
  }
  return out;
}

Plan MakePlan(const std::vector<DesiredBinding>& desired, const Observed& observed,
              const PlanOptions& options) {
  Planner p(observed, options);
  for (const DesiredBinding& b : desired) {
    if (!b.absent.empty()) {
      p.Absent(b);  // rule 10
    } else if (!b.conflict.empty()) {
      p.Conflict(b);                   // rule 10
    } else if (p.Identity(b)) {        // rule 1
      bool stale = p.RecordsFirst(b);  // rule 2
      p.WantedSession(b, stale);       // rules 3, 4, 5
    }
  }
  p.Unwanted();           // rules 6, 9 (rule 8 holds by the key: iface records bound by MAC)
  p.LoginsThenLogouts();  // rules 6, 7
  p.SweepRecords();       // rule 6
  return p.Take();
}

Plan MakeLogoutPlan(const Observed& observed, const Scope& scope, bool force) {
  Plan plan;
  std::vector<Logout> candidates;
  for (const ObservedSession& s : observed.sessions) {
    if (scope.Matches(s.key) && IsOwnedIface(s.key.iface)) {
      candidates.emplace_back(&s, "asked for");
    }
  }
  for (const auto& [s, reason] : CheckLastPaths(candidates, observed, force, plan)) {
    plan.actions.push_back({ActionKind::kLogout, s->key, s->sid, reason, {}, {}});
  }
  return plan;
}

}  // namespace iscsictl
