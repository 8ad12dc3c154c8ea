#include "live_state.h"

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

const LiveHost* LiveState::FindHost(int host_no) const {
  for (const LiveHost& h : hosts) {
    if (h.host_no == host_no) {
      return &h;
    }
  }
  return nullptr;
}

}  // namespace iscsictl
