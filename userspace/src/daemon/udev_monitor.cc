#include "daemon/udev_monitor.h"

#include <libudev.h>

namespace iscsictl {
namespace {

std::string Str(const char* s) { return s == nullptr ? std::string() : std::string(s); }

}  // namespace

std::unique_ptr<UdevMonitor> UdevMonitor::Open(std::string& error) {
  std::unique_ptr<UdevMonitor> m(new UdevMonitor());
  m->udev_.reset(udev_new());
  if (!m->udev_) {
    error = "udev_new failed";
    return nullptr;
  }
  m->mon_.reset(udev_monitor_new_from_netlink(m->udev_.get(), "udev"));
  if (!m->mon_) {
    error = "cannot open the udev monitor (is systemd-udevd running?)";
    return nullptr;
  }
  for (const char* s : {"net", "iscsi_session", "iscsi_connection", "iscsi_host"}) {
    udev_monitor_filter_add_match_subsystem_devtype(m->mon_.get(), s, nullptr);
  }
  // Big enough that a login burst while a reconcile runs is not lost.
  udev_monitor_set_receive_buffer_size(m->mon_.get(), 8 * 1024 * 1024);
  if (udev_monitor_enable_receiving(m->mon_.get()) < 0) {
    error = "udev_monitor_enable_receiving failed";
    return nullptr;
  }
  return m;
}

int UdevMonitor::fd() const { return udev_monitor_get_fd(mon_.get()); }

std::optional<UeventInfo> UdevMonitor::Receive() {
  UdevDevicePtr dev(udev_monitor_receive_device(mon_.get()));
  if (!dev) {
    return std::nullopt;
  }
  UeventInfo e;
  e.subsystem = Str(udev_device_get_subsystem(dev.get()));
  e.action = Str(udev_device_get_action(dev.get()));
  e.sysname = Str(udev_device_get_sysname(dev.get()));
  if (e.subsystem == "net" && e.action != "remove") {
    e.mac = Str(udev_device_get_sysattr_value(dev.get(), "address"));
  }
  return e;
}

}  // namespace iscsictl
