// A generic netlink socket (libnl-genl-3) with every handle owned by RAII: the socket,
// request messages and received buffers. Used for the iscsi_iface family of the
// iscsi_iface_attrs module (docs/netlink.md).
#pragma once

#include <netlink/msg.h>
#include <netlink/netlink.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "base/handles.h"

namespace iscsictl {

// What a dump cost: datagrams received (one per kernel dump callback), messages, bytes.
struct DumpStats {
  size_t datagrams = 0;
  size_t messages = 0;
  size_t bytes = 0;
};

// How one datagram of a dump reply for request `seq` ends: more to come, the dump's end
// (NLMSG_DONE carrying 0, or an acknowledgement), or an error: an NLMSG_ERROR reply, or an
// NLMSG_DONE carrying a negative errno (the kernel ends a dump that way when an object does
// not fit an empty message: -EMSGSIZE). `on_msg` sees every other message of ours.
enum class DumpEnd { kMore, kDone, kError };
DumpEnd ReadDumpDatagram(nlmsghdr* hdr, int len, uint32_t seq,
                         const std::function<void(nlmsghdr*)>& on_msg, DumpStats* stats,
                         std::string* error);

class GenlSocket {
 public:
  // Connects and resolves `family`; on failure Valid() is false and Error() says why.
  explicit GenlSocket(const std::string& family);
  bool Valid() const { return family_id_ >= 0; }
  const std::string& Error() const { return error_; }

  // Sends a dump request for `cmd` and calls `on_msg` for every reply message until
  // NLMSG_DONE. False (with Error()) on a socket error, an NLMSG_ERROR reply or an
  // NLMSG_DONE carrying an error (ReadDumpDatagram).
  bool Dump(int cmd, const std::function<void(nlmsghdr*)>& on_msg, DumpStats* stats = nullptr);

  // Joins the multicast group `group` of the family.
  bool Subscribe(const std::string& group);
  // Blocks for the next datagram and calls `on_msg` for each message in it.
  bool ReceiveEvents(const std::function<void(nlmsghdr*)>& on_msg);

 private:
  bool Fail(const std::string& what, int nlerr);
  // Blocks for one datagram and hands it over (first header, length); false on an error.
  bool Receive(const std::function<void(nlmsghdr*, int)>& on_datagram);

  NlSock sock_;
  int family_id_ = -1;
  std::string family_;
  std::string error_;
};

}  // namespace iscsictl
