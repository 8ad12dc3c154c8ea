// The one place that says how each C library handle is freed: unique_ptr types for libnl-3
// (sockets, messages, caches, received buffers) and libudev (context, monitor, device).
// Every handle of those libraries in the tree is owned by one of these.
#pragma once

#include <libudev.h>
#include <netlink/cache.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>

#include <cstdlib>
#include <memory>

namespace iscsictl {

// Calls `free_fn` on a non-null handle (unique_ptr never calls it for null).
template <auto free_fn>
struct HandleFree {
  template <class T>
  void operator()(T* p) const {
    free_fn(p);
  }
};

using NlSock = std::unique_ptr<nl_sock, HandleFree<nl_socket_free>>;
using NlMsg = std::unique_ptr<nl_msg, HandleFree<nlmsg_free>>;
using NlCache = std::unique_ptr<nl_cache, HandleFree<nl_cache_free>>;
// What nl_recv() allocates (with malloc).
using NlRecvBuf = std::unique_ptr<unsigned char, HandleFree<std::free>>;

using UdevPtr = std::unique_ptr<udev, HandleFree<udev_unref>>;
using UdevMonitorPtr = std::unique_ptr<udev_monitor, HandleFree<udev_monitor_unref>>;
using UdevDevicePtr = std::unique_ptr<udev_device, HandleFree<udev_device_unref>>;

}  // namespace iscsictl
