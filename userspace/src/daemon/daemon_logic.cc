#include "daemon/daemon_logic.h"

#include <linux/rtnetlink.h>

#include <algorithm>

namespace iscsictl {

void Debouncer::Event(Clock::time_point now) {
  if (!first_) {
    first_ = now;
  }
  last_ = now;
}

std::optional<Clock::time_point> Debouncer::Deadline() const {
  if (!first_) {
    return std::nullopt;
  }
  return std::min(*last_ + quiet_, *first_ + cap_);
}

bool Debouncer::Due(Clock::time_point now) const {
  std::optional<Clock::time_point> d = Deadline();
  return d && now >= *d;
}

bool NewAddresses::Event(EventKind kind, const std::string& nic, const std::string& address) {
  if (kind == EventKind::kAddrAdd) {
    return seen_.emplace(nic, address).second;
  }
  if (kind == EventKind::kLinkDel || kind == EventKind::kNetRemove ||
      kind == EventKind::kNetMove) {
    std::erase_if(seen_, [&](const auto& s) { return s.first == nic; });
  }
  return false;
}

std::chrono::milliseconds Backoff::Next() {
  std::chrono::milliseconds now = next_;
  next_ = std::min(next_ * 2, max_);
  return now;
}

std::string_view EventName(EventKind kind) {
  switch (kind) {
    case EventKind::kIgnore: return "ignore";
    case EventKind::kNetAdd: return "net-add";
    case EventKind::kNetRemove: return "net-remove";
    case EventKind::kNetMove: return "net-move";
    case EventKind::kNetChange: return "net-change";
    case EventKind::kIscsiAdd: return "iscsi-add";
    case EventKind::kIscsiRemove: return "iscsi-remove";
    case EventKind::kIscsiChange: return "iscsi-change";
    case EventKind::kLinkChange: return "link";
    case EventKind::kLinkDel: return "link-del";
    case EventKind::kAddrAdd: return "addr-add";
    case EventKind::kAddrDel: return "addr-del";
  }
  return "?";
}

EventKind ClassifyUevent(std::string_view subsystem, std::string_view action) {
  if (subsystem == "net") {
    if (action == "add") return EventKind::kNetAdd;
    if (action == "remove") return EventKind::kNetRemove;
    if (action == "move") return EventKind::kNetMove;
    if (action == "change") return EventKind::kNetChange;
    return EventKind::kIgnore;
  }
  if (subsystem == "iscsi_session" || subsystem == "iscsi_connection" ||
      subsystem == "iscsi_host") {
    if (action == "add") return EventKind::kIscsiAdd;
    if (action == "remove") return EventKind::kIscsiRemove;
    if (action == "change") return EventKind::kIscsiChange;
  }
  return EventKind::kIgnore;
}

EventKind ClassifyRtnl(int nlmsg_type) {
  switch (nlmsg_type) {
    case RTM_NEWLINK: return EventKind::kLinkChange;
    case RTM_DELLINK: return EventKind::kLinkDel;
    case RTM_NEWADDR: return EventKind::kAddrAdd;
    case RTM_DELADDR: return EventKind::kAddrDel;
    default: return EventKind::kIgnore;
  }
}

bool TriggersReconcile(EventKind kind) {
  // A rename changes nothing (records are bound by MAC); the planner agrees, and
  // skipping it saves a reconcile. Everything else may change bindings or sessions.
  return kind != EventKind::kIgnore && kind != EventKind::kNetMove;
}

std::string LogValue(std::string_view value) {
  bool quote = value.empty() || value.find_first_of(" \t\"=\\\n\r") != std::string_view::npos;
  std::string out;
  if (quote) out += '"';
  for (char c : value) {
    if (c == '\n' || c == '\r' || c == '\t') {
      out += ' ';
    } else if (quote && (c == '"' || c == '\\')) {
      out += '\\';
      out += c;
    } else {
      out += c;
    }
  }
  if (quote) out += '"';
  return out;
}

std::string LogRecord(const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string out;
  for (const auto& [k, v] : fields) {
    if (!out.empty()) out += ' ';
    out += k;
    out += '=';
    out += LogValue(v);
  }
  return out;
}

std::string NotifyMessage(std::string_view state, std::string_view status) {
  std::string out(state);
  if (!status.empty()) {
    out += "\nSTATUS=";
    for (char c : status) out += c == '\n' ? ' ' : c;
  }
  return out;
}

std::optional<NotifyAddress> ParseNotifySocket(std::string_view env) {
  // sun_path holds 108 bytes; a path needs its NUL, an abstract name its leading NUL.
  if (env.empty() || env.size() >= 108) return std::nullopt;
  if (env.front() == '@') {
    if (env.size() < 2) return std::nullopt;
    return NotifyAddress{std::string(1, '\0') + std::string(env.substr(1)), true};
  }
  if (env.front() != '/') return std::nullopt;
  return NotifyAddress{std::string(env), false};
}

std::string ConfigDir(std::string_view config_path) {
  size_t slash = config_path.rfind('/');
  if (slash == std::string_view::npos) return ".";
  if (slash == 0) return "/";
  return std::string(config_path.substr(0, slash));
}

bool IsConfigName(std::string_view event_name, std::string_view config_path) {
  size_t slash = config_path.rfind('/');
  std::string_view base =
      slash == std::string_view::npos ? config_path : config_path.substr(slash + 1);
  return !base.empty() && event_name == base;
}

}  // namespace iscsictl
