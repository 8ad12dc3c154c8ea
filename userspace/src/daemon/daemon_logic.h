// The daemon's pure parts: debounce and backoff arithmetic, event classification,
// structured log lines, sd_notify message and address formats, and the config-watch
// filename match. No I/O here; daemon.cc and the monitors use them. Unit-tested.
#pragma once

#include <chrono>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace iscsictl {

using Clock = std::chrono::steady_clock;

// Bursts of events become one reconcile: due `quiet` after the last event, but never
// later than `cap` after the first one of the burst.
class Debouncer {
 public:
  Debouncer(std::chrono::milliseconds quiet, std::chrono::milliseconds cap)
      : quiet_(quiet), cap_(cap) {}
  void Event(Clock::time_point now);
  bool Pending() const { return first_.has_value(); }
  // When the reconcile is due; nullopt when nothing is pending.
  std::optional<Clock::time_point> Deadline() const;
  bool Due(Clock::time_point now) const;
  void Clear() { first_.reset(); last_.reset(); }

 private:
  std::chrono::milliseconds quiet_, cap_;
  std::optional<Clock::time_point> first_, last_;
};

// Retry delays after a reconcile that did not converge: initial, doubling, capped.
class Backoff {
 public:
  Backoff(std::chrono::milliseconds initial, std::chrono::milliseconds max)
      : initial_(initial), max_(max), next_(initial) {}
  std::chrono::milliseconds Next();  // the delay to use now; doubles the following one
  void Reset() { next_ = initial_; }

 private:
  std::chrono::milliseconds initial_, max_, next_;
};

// What a uevent or rtnetlink message means to the daemon.
enum class EventKind {
  kIgnore,
  kNetAdd,
  kNetRemove,
  kNetMove,       // rename
  kNetChange,
  kIscsiAdd,      // iscsi_session / iscsi_connection / iscsi_host appeared
  kIscsiRemove,
  kIscsiChange,   // the module's change uevents
  kLinkChange,    // rtnetlink RTM_NEWLINK (carrier, operstate)
  kLinkDel,
  kAddrAdd,
  kAddrDel,
};
std::string_view EventName(EventKind kind);

// A uevent by subsystem and action ("net", "add").
EventKind ClassifyUevent(std::string_view subsystem, std::string_view action);
// An rtnetlink message type (RTM_NEWLINK, ...).
EventKind ClassifyRtnl(int nlmsg_type);
// Whether an event can change what the host should have or has (worth a reconcile).
bool TriggersReconcile(EventKind kind);

// An address a NIC has not had before (a NIC that just appeared and got one): worth a
// reconcile at once, without the debounce. The same address again (a link flap re-adds
// an IPv6 link-local one) is not; a NIC removed (or renamed away) starts over.
class NewAddresses {
 public:
  // Feeds an rtnetlink event (kAddrAdd, kLinkDel, ...); true for a new address.
  bool Event(EventKind kind, const std::string& nic, const std::string& address);

 private:
  std::set<std::pair<std::string, std::string>> seen_;  // (nic, address)
};

// Structured, journal-friendly log records: `key=value key="value with spaces"`.
// Values are quoted when they hold spaces, quotes, '=' or are empty; '"' and '\' are
// escaped and newlines become spaces, so a record is always one line.
std::string LogValue(std::string_view value);
std::string LogRecord(const std::vector<std::pair<std::string, std::string>>& fields);

// sd_notify: the datagram's text ("READY=1\nSTATUS=..."), and where $NOTIFY_SOCKET
// points: a path, or an abstract name when it starts with '@'. nullopt if unusable.
std::string NotifyMessage(std::string_view state, std::string_view status = {});
struct NotifyAddress {
  std::string path;  // for abstract names: a leading NUL, then the name
  bool abstract = false;
};
std::optional<NotifyAddress> ParseNotifySocket(std::string_view env);

// Config watch: the inotify event's name (in the watched directory) is the config file.
// Editors' and tools' temporary names ("x.json.tmp", ".x.json.swp", "x.json~") are not.
bool IsConfigName(std::string_view event_name, std::string_view config_path);
// The directory to watch for `config_path` ("." for a bare name).
std::string ConfigDir(std::string_view config_path);

}  // namespace iscsictl
