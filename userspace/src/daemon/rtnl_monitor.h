// rtnetlink link and address events through libnl-3: a socket subscribed to
// RTNLGRP_LINK, RTNLGRP_IPV4_IFADDR and RTNLGRP_IPV6_IFADDR.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "base/handles.h"
#include "daemon/daemon_logic.h"


namespace iscsictl {

struct RtnlEvent {
  EventKind kind = EventKind::kIgnore;
  int ifindex = 0;
  std::string name;     // IFLA_IFNAME, or the name the index has now
  bool up = false;       // links: IFF_UP
  bool carrier = false;  // links: IFF_LOWER_UP
  std::string address;   // addresses: "10.33.0.101/24"
};

class RtnlMonitor {
 public:
  static std::unique_ptr<RtnlMonitor> Open(std::string& error);
  int fd() const;
  // Reads everything queued. `overflow` is set when the kernel dropped messages
  // (ENOBUFS): the caller must assume anything changed.
  std::vector<RtnlEvent> Drain(bool& overflow);

 private:
  RtnlMonitor() = default;
  NlSock sock_;
  std::vector<RtnlEvent> pending_;
  friend struct RtnlCallbacks;
};

}  // namespace iscsictl
