#include "model/live_state.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <optional>
#include <string_view>

namespace iscsictl {

bool LiveHost::IsSoftware() const {
  return driver.empty() || driver == "iscsi_tcp" || driver == "ib_iser";
}

std::string LiveHost::Transport() const {
  if (driver.empty() || driver == "iscsi_tcp") {
    return "tcp";
  }
  if (driver == "ib_iser") {
    return "iser";
  }
  return driver;
}

const std::string& LiveConnection::PortalAddress() const {
  return persistent_address.empty() ? address : persistent_address;
}

int LiveConnection::PortalPort() const {
  if (persistent_port) {
    return *persistent_port;
  }
  return port.value_or(3260);
}

namespace {

std::optional<std::array<long, 4>> ParseHctl(std::string_view s) {
  std::array<long, 4> v{};
  for (size_t i = 0; i < 4; ++i) {
    size_t end = i < 3 ? s.find(':') : s.size();
    if (end == std::string_view::npos || end == 0) {
      return std::nullopt;
    }
    auto [p, ec] = std::from_chars(s.data(), s.data() + end, v[i]);
    if (ec != std::errc() || p != s.data() + end) {
      return std::nullopt;
    }
    s.remove_prefix(i < 3 ? end + 1 : end);
  }
  return v;
}

}  // namespace

bool IsHctl(std::string_view s) {
  return ParseHctl(s).has_value();
}

bool HctlLess(const std::string& a, const std::string& b) {
  std::optional<std::array<long, 4>> x = ParseHctl(a);
  std::optional<std::array<long, 4>> y = ParseHctl(b);
  if (x && y) {
    return *x < *y;
  }
  if (x || y) {
    return x.has_value();
  }
  return a < b;
}

const LiveHost* LiveState::FindHost(int host_no) const {
  for (const LiveHost& h : hosts) {
    if (h.host_no == host_no) {
      return &h;
    }
  }
  return nullptr;
}

void SortLiveState(LiveState& st) {
  std::sort(st.hosts.begin(), st.hosts.end(),
            [](const LiveHost& a, const LiveHost& b) { return a.host_no < b.host_no; });
  std::sort(st.sessions.begin(), st.sessions.end(),
            [](const LiveSession& a, const LiveSession& b) { return a.sid < b.sid; });
  for (LiveSession& s : st.sessions) {
    std::sort(s.connections.begin(), s.connections.end(),
              [](const LiveConnection& a, const LiveConnection& b) { return a.cid < b.cid; });
    std::sort(s.disks.begin(), s.disks.end(),
              [](const LiveDisk& a, const LiveDisk& b) { return HctlLess(a.hctl, b.hctl); });
  }
}

}  // namespace iscsictl
