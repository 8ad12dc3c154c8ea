#include "sources/netlink_socket.h"

#include <linux/netlink.h>
#include <netlink/errno.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace iscsictl {
namespace {

// The kernel sizes dump datagrams after the reader's receive buffer (up to 32 KiB).
constexpr size_t kRecvBufSize = 32768;

std::string ErrnoText(int err) { return std::string(std::strerror(err)) + " (errno " + std::to_string(err) + ")"; }

}  // namespace

DumpEnd ReadDumpDatagram(nlmsghdr* hdr, int len, uint32_t seq,
                         const std::function<void(nlmsghdr*)>& on_msg, DumpStats* stats,
                         std::string* error) {
  for (; nlmsg_ok(hdr, len); hdr = nlmsg_next(hdr, &len)) {
    if (hdr->nlmsg_seq != seq) {
      continue;  // not ours (a stale reply)
    }
    if (hdr->nlmsg_type == NLMSG_DONE) {
      // The kernel puts the dump's last return value after the header: 0, or the error
      // that ended it early (an object larger than a message: -EMSGSIZE).
      int rc = 0;
      if (hdr->nlmsg_len >= NLMSG_LENGTH(sizeof(int))) {
        std::memcpy(&rc, NLMSG_DATA(hdr), sizeof rc);
      }
      if (rc < 0) {
        *error = "netlink dump ended early: " + ErrnoText(-rc);
        return DumpEnd::kError;
      }
      return DumpEnd::kDone;
    }
    if (hdr->nlmsg_type == NLMSG_ERROR) {
      int rc = -EPROTO;
      if (hdr->nlmsg_len >= NLMSG_LENGTH(sizeof(nlmsgerr))) {
        rc = static_cast<nlmsgerr*>(NLMSG_DATA(hdr))->error;
      }
      if (rc == 0) {
        return DumpEnd::kDone;  // an acknowledgement
      }
      *error = "netlink dump refused: " + ErrnoText(rc < 0 ? -rc : rc);
      return DumpEnd::kError;
    }
    if (stats != nullptr) {
      ++stats->messages;
    }
    on_msg(hdr);
  }
  return DumpEnd::kMore;
}

GenlSocket::GenlSocket(const std::string& family) : sock_(nl_socket_alloc()), family_(family) {
  if (!sock_) {
    error_ = "netlink: cannot allocate a socket";
    return;
  }
  nl_socket_set_msg_buf_size(sock_.get(), kRecvBufSize);
  nl_socket_enable_msg_peek(sock_.get());
  if (int rc = genl_connect(sock_.get()); rc < 0) {
    Fail("generic netlink connect", rc);
    return;
  }
  int id = genl_ctrl_resolve(sock_.get(), family.c_str());
  if (id < 0) {
    Fail("generic netlink family " + family + " not found (module not loaded?)", id);
    return;
  }
  family_id_ = id;
}

bool GenlSocket::Fail(const std::string& what, int nlerr) {
  error_ = what + ": " + nl_geterror(nlerr);
  return false;
}

bool GenlSocket::Dump(int cmd, const std::function<void(nlmsghdr*)>& on_msg, DumpStats* stats) {
  NlMsg req(nlmsg_alloc());
  if (!req) {
    error_ = "netlink: out of memory";
    return false;
  }
  if (genlmsg_put(req.get(), NL_AUTO_PORT, NL_AUTO_SEQ, family_id_, 0, NLM_F_DUMP,
                  static_cast<uint8_t>(cmd), 1) == nullptr) {
    error_ = "netlink: cannot build the request";
    return false;
  }
  if (int rc = nl_send_auto(sock_.get(), req.get()); rc < 0) {
    return Fail("netlink send", rc);
  }
  uint32_t seq = nlmsg_hdr(req.get())->nlmsg_seq;
  // Datagrams until NLMSG_DONE (or an NLMSG_ERROR) of our request arrives.
  DumpEnd end = DumpEnd::kMore;
  while (end == DumpEnd::kMore) {
    bool received = Receive([&](nlmsghdr* hdr, int n) {
      if (stats != nullptr) {
        ++stats->datagrams;
        stats->bytes += static_cast<size_t>(n);
      }
      end = ReadDumpDatagram(hdr, n, seq, on_msg, stats, &error_);
    });
    if (!received) {
      return false;
    }
  }
  return end == DumpEnd::kDone;
}

bool GenlSocket::Receive(const std::function<void(nlmsghdr*, int)>& on_datagram) {
  sockaddr_nl peer{};
  unsigned char* raw = nullptr;
  int n = nl_recv(sock_.get(), &peer, &raw, nullptr);
  NlRecvBuf buf(raw);
  if (n < 0) {
    return Fail("netlink receive", n);
  }
  on_datagram(reinterpret_cast<nlmsghdr*>(buf.get()), n);
  return true;
}

bool GenlSocket::Subscribe(const std::string& group) {
  int grp = genl_ctrl_resolve_grp(sock_.get(), family_.c_str(), group.c_str());
  if (grp < 0) {
    return Fail("netlink group " + group, grp);
  }
  if (int rc = nl_socket_add_membership(sock_.get(), grp); rc < 0) {
    return Fail("netlink join " + group, rc);
  }
  nl_socket_disable_seq_check(sock_.get());
  return true;
}

bool GenlSocket::ReceiveEvents(const std::function<void(nlmsghdr*)>& on_msg) {
  return Receive([&](nlmsghdr* hdr, int n) {
    for (; nlmsg_ok(hdr, n); hdr = nlmsg_next(hdr, &n)) {
      if (hdr->nlmsg_type >= NLMSG_MIN_TYPE) {
        on_msg(hdr);
      }
    }
  });
}

}  // namespace iscsictl
