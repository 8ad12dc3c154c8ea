// Exit statuses of every iscsictl command (docs/reconcile.md, "Exit statuses").
#pragma once

namespace iscsictl {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;   // some actions failed; each is listed with its reason
inline constexpr int kExitBadInput = 2;  // config, arguments, unknown NIC/target; nothing changed
inline constexpr int kExitBlocked = 3;   // refused (last path in use) or a wanted session
                                         // cannot be made; nothing else failed
inline constexpr int kExitEnvironment = 4;  // iscsid unreachable, lock not obtained, ...

// `iscsictl status --check` alone follows the monitoring-plugin convention instead.
inline constexpr int kCheckOk = 0;
inline constexpr int kCheckWarning = 1;   // a volume degraded
inline constexpr int kCheckCritical = 2;  // a volume without an active path
inline constexpr int kCheckUnknown = 3;   // bad input or state that cannot be read

}  // namespace iscsictl
