// The planner: desired sessions (the config resolved against the NICs present) and
// observed state (live sessions, open-iscsi records, disk use) in, an ordered plan out,
// every action with its reason. Pure: no I/O; the executor (executor.h) carries it out.
//
// Rules (docs/reconcile.md):
//  - identity of a session: (target, persistent portal address and port, iface record);
//  - a session in recovery (any state but LOGGED_IN) that is still wanted is not missing:
//    no second session is logged in beside it, iscsid's replacement_timeout decides;
//  - sessions, node and iface records whose iface is not iscsictl's (`ictl-*`) are
//    foreign and never touched, unless the config names their iface record (adopted);
//  - the last path of a disk that is in use (mounted, held, opened exclusively) is not
//    logged out without `force`; other paths of the same disk are found by WWID;
//  - a NIC rename changes nothing (iface records are bound by MAC);
//  - logins come before logouts (make before break); no login through a NIC that has
//    no address yet (open-iscsi would never recover such a session).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/config.h"
#include "model/config_error.h"
#include "model/disk.h"
#include "model/live_state.h"
#include "model/records.h"
#include "plan/iface_match.h"
#include "plan/record_fields.h"

namespace iscsictl {

// One session the host should have, bound to an iface record.
struct DesiredBinding {
  std::string pointer;  // where the config defines it
  NodeKey key;
  std::string nic;           // netdev it is bound to now ("" for unbound / foreign iface)
  std::string mac;           // that NIC's MAC ("" likewise)
  bool nic_ready = true;     // the NIC has an address and carrier (always true when unbound)
  std::string not_ready;     // why not: "has no address yet", "has no carrier"
  bool owned_iface = true;   // iface record `key.iface` is iscsictl's (written by it)
  RecordFields iface_fields;  // the iface record's fields (owned) or as read (foreign)
  RecordFields node_fields;
};

struct Observed {
  std::vector<LiveSession> sessions;
  RecordDb records;
  std::map<std::string, DiskUse> disks;  // by block device name ("sda")
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
  kWaiting,   // a wanted session whose NIC has no address yet
  kForeign,   // foreign sessions left alone
  kStale,     // a logged-in session whose record changed: takes effect at next login
  kProblem,   // a wanted session that cannot be made (e.g. its iface record is missing)
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
  // Refusals and problems: the host cannot be converged by carrying out the actions.
  bool Blocked() const;
};

// The key a live session has: its first connection's persistent portal and its iface.
NodeKey SessionKey(const LiveSession& s);

// Desired sessions bound to the NICs present; foreign iface records named by the config
// are looked up in `records`. Secrets given by file come from `secrets`. Pure.
std::vector<DesiredBinding> MakeBindings(const std::vector<DesiredSession>& sessions,
                                         const std::vector<NicFacts>& nics, const RecordDb& records,
                                         const SecretValues& secrets, const std::string& file,
                                         ConfigErrors& errors);

Plan MakePlan(const std::vector<DesiredBinding>& desired, const Observed& observed,
              const PlanOptions& options);

// `iscsictl logout`: log out the observed sessions of iscsictl in `scope` and delete their
// node records, subject to the last-path rule.
Plan MakeLogoutPlan(const Observed& observed, const Scope& scope, bool force);

}  // namespace iscsictl
