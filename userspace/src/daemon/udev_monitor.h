// A libudev monitor (udevd's "udev" source: events after the rules ran) for the
// subsystems the daemon cares about: net, iscsi_session, iscsi_connection, iscsi_host.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "base/handles.h"

namespace iscsictl {

struct UeventInfo {
  std::string subsystem;
  std::string action;
  std::string sysname;  // "ens5", "session3"
  std::string mac;      // net devices that still exist: their address
};

class UdevMonitor {
 public:
  // nullptr (and `error` set) if the monitor cannot be created.
  static std::unique_ptr<UdevMonitor> Open(std::string& error);
  int fd() const;
  // The next queued event; nullopt when none is left.
  std::optional<UeventInfo> Receive();

 private:
  UdevMonitor() = default;
  UdevPtr udev_;
  UdevMonitorPtr mon_;
};

}  // namespace iscsictl
