// The planner: desired sessions bound to iface records (bindings.h) and what is observed
// (live sessions, open-iscsi records, disk use) in, an ordered plan out, every action with
// its reason. Pure: no I/O; exec/ carries the plan out.
//
// MakePlan applies the rules of docs/reconcile.md ("The planner's rules"), one named step
// each in plan.cc; plan_test.cc is a table of them:
//  1. identity of a session: (target, persistent portal address and port, iface record);
//  2. records first: a missing or different iface/node record is written (a logged-in
//     session whose record changed is noted `stale`);
//  3. a wanted session in recovery (any state but LOGGED_IN) is not missing: no second
//     session beside it, iscsid's replacement_timeout decides;
//  4. duplicates of one identity: the LOGGED_IN one (else the first) stays;
//  5. no login through a NIC without an address or carrier (note `waiting`);
//  6. iscsictl's sessions nobody wants are logged out and their node records deleted,
//     iface records nothing uses go last; logins come before logouts (make before break);
//  7. the last path of a disk in use (mounted, held, swap, open for writing) is not logged out
//     without `force`: a disk in a dm-multipath map keeps its session while no other path
//     of that map is active (the map's membership and dm's path states, through a session
//     that stays); other paths of a disk outside maps are found by WWID;
//  8. a NIC rename changes nothing (iface records are bound by MAC);
//  9. foreign sessions (iface not `ictl-*`) are counted, never touched;
// 10. a wanted session whose NIC is absent is noted `absent` (nothing else: the sessions of a
//     NIC that is gone are rule 6's); sessions that chose one NIC for the same target and
//     portal are noted `conflict`, and what exists of them (records, sessions) stays as is.
// `iscsictl logout` (MakeLogoutPlan) logs out and keeps the node records: the config still
// wants those sessions, and the next apply logs them in again.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/disk.h"
#include "model/live_state.h"
#include "model/multipath.h"
#include "model/records.h"
#include "plan/bindings.h"

namespace iscsictl {

// What the planner needs of a live session.
struct ObservedSession {
  int sid = -1;
  NodeKey key;                      // its target, first connection's portal, TPGT and iface
  std::string state;                // "LOGGED_IN", "FAILED", ...
  std::vector<std::string> blocks;  // its disks' block devices ("sda")
};

// The key a live session has: its first connection's persistent portal and its iface.
NodeKey SessionKey(const LiveSession& s);
std::vector<ObservedSession> ObserveSessions(const std::vector<LiveSession>& sessions);

struct Observed {
  std::vector<ObservedSession> sessions;
  RecordDb records;
  std::map<std::string, DiskUse> disks;  // by block device name ("sda")
  MultipathState multipath;              // dm-multipath maps and their paths' states
};

// Which sessions a plan may touch; empty fields match everything.
struct Scope {
  std::string target;
  std::string address;
  std::optional<int> port;
  std::string iface;
  bool Matches(const NodeKey& key) const;
  bool IsAll() const;
};

struct PlanOptions {
  Scope scope;
  bool allow_logout = true;  // false: only add (iscsictl login)
  bool force = false;        // log out the last path of a disk in use
};

enum class ActionKind { kWriteIface, kWriteNode, kLogin, kLogout, kDeleteNode, kDeleteIface };
std::string_view ActionName(ActionKind kind);

struct Action {
  ActionKind kind;
  NodeKey key;   // for iface actions only key.iface is set
  int sid = -1;  // kLogout: the session; kDeleteNode: the logout it waits for
  std::string reason;
  std::vector<std::string> changed;  // kWrite*: keys that differ (values never shown)
  RecordFields fields;               // kWrite*: the record to write (may hold secrets)
  // What it acts on: "ictl-..." (iface records), "session 3 (iqn...,...)" (logouts), else
  // the node key.
  std::string Subject() const;
};

enum class NoteKind {
  kKept,      // a session that stays although the config no longer wants it (refused)
  kRecovery,  // a wanted session in recovery: left to iscsid
  kWaiting,   // a wanted session whose NIC has no address (or carrier) yet
  kForeign,   // foreign sessions left alone
  kStale,     // a logged-in session whose record changed: takes effect at next login
  kProblem,   // a wanted session that cannot be made (e.g. its iface record is missing)
  kAbsent,    // a wanted session whose NIC is not on the host (nothing of it is done)
  kConflict,  // sessions that chose one NIC for the same target and portal: left as they are
};
std::string_view NoteName(NoteKind kind);

struct Note {
  NoteKind kind;
  NodeKey key;
  int sid = -1;
  std::string text;
};

struct Plan {
  std::vector<Action> actions;
  std::vector<Note> notes;
  bool Empty() const { return actions.empty(); }
  // Refusals, problems, conflicts, absent NICs and NICs waiting for an address or carrier:
  // the host is not converged even after the actions are carried out (apply's exit 3).
  bool Blocked() const;
};

Plan MakePlan(const std::vector<DesiredBinding>& desired, const Observed& observed,
              const PlanOptions& options);

// `iscsictl logout`: log out the observed sessions of iscsictl in `scope`, subject to the
// last-path rule; their node records stay.
Plan MakeLogoutPlan(const Observed& observed, const Scope& scope, bool force);

}  // namespace iscsictl
