#include "daemon/rtnl_monitor.h"

#include <arpa/inet.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>

#include <fmt/format.h>

namespace iscsictl {

// linux/if.h's IFF_LOWER_UP (that header clashes with <net/if.h>).
constexpr unsigned kIffLowerUp = 1U << 16;

struct RtnlCallbacks {
  static int Valid(nl_msg* msg, void* arg) {
    auto* self = static_cast<RtnlMonitor*>(arg);
    nlmsghdr* h = nlmsg_hdr(msg);
    RtnlEvent e;
    e.kind = ClassifyRtnl(h->nlmsg_type);
    if (e.kind == EventKind::kLinkChange || e.kind == EventKind::kLinkDel) {
      if (!nlmsg_valid_hdr(h, sizeof(ifinfomsg))) return NL_OK;
      auto* ifi = static_cast<ifinfomsg*>(nlmsg_data(h));
      e.ifindex = ifi->ifi_index;
      e.up = (ifi->ifi_flags & IFF_UP) != 0;
      e.carrier = (ifi->ifi_flags & kIffLowerUp) != 0;
      if (nlattr* a = nlmsg_find_attr(h, sizeof(ifinfomsg), IFLA_IFNAME)) {
        e.name = nla_get_string(a);
      }
    } else if (e.kind == EventKind::kAddrAdd || e.kind == EventKind::kAddrDel) {
      if (!nlmsg_valid_hdr(h, sizeof(ifaddrmsg))) return NL_OK;
      auto* ifa = static_cast<ifaddrmsg*>(nlmsg_data(h));
      e.ifindex = static_cast<int>(ifa->ifa_index);
      nlattr* a = nlmsg_find_attr(h, sizeof(ifaddrmsg), IFA_LOCAL);
      if (a == nullptr) a = nlmsg_find_attr(h, sizeof(ifaddrmsg), IFA_ADDRESS);
      char buf[INET6_ADDRSTRLEN] = {};
      if (a != nullptr && inet_ntop(ifa->ifa_family, nla_data(a), buf, sizeof buf) != nullptr) {
        e.address = fmt::format("{}/{}", buf, ifa->ifa_prefixlen);
      }
      char name[IF_NAMESIZE] = {};
      if (if_indextoname(ifa->ifa_index, name) != nullptr) e.name = name;
    } else {
      return NL_OK;
    }
    self->pending_.push_back(std::move(e));
    return NL_OK;
  }
};

std::unique_ptr<RtnlMonitor> RtnlMonitor::Open(std::string& error) {
  std::unique_ptr<RtnlMonitor> m(new RtnlMonitor());
  m->sock_.reset(nl_socket_alloc());
  if (!m->sock_) {
    error = "nl_socket_alloc failed";
    return nullptr;
  }
  nl_socket_disable_seq_check(m->sock_.get());
  nl_socket_modify_cb(m->sock_.get(), NL_CB_VALID, NL_CB_CUSTOM, &RtnlCallbacks::Valid, m.get());
  int rc = nl_connect(m->sock_.get(), NETLINK_ROUTE);
  if (rc < 0) {
    error = fmt::format("rtnetlink: {}", nl_geterror(rc));
    return nullptr;
  }
  rc = nl_socket_add_memberships(m->sock_.get(), RTNLGRP_LINK, RTNLGRP_IPV4_IFADDR,
                                 RTNLGRP_IPV6_IFADDR, 0);
  if (rc < 0) {
    error = fmt::format("rtnetlink groups: {}", nl_geterror(rc));
    return nullptr;
  }
  nl_socket_set_nonblocking(m->sock_.get());
  nl_socket_set_buffer_size(m->sock_.get(), 4 * 1024 * 1024, 0);
  return m;
}

int RtnlMonitor::fd() const { return nl_socket_get_fd(sock_.get()); }

std::vector<RtnlEvent> RtnlMonitor::Drain(bool& overflow) {
  overflow = false;
  // nl_recvmsgs_report: > 0 messages read, 0 when the (non-blocking) socket is empty
  // (nl_recvmsgs_default says 0 for both, which cannot end a drain loop).
  nl_cb* cb = nl_socket_get_cb(sock_.get());
  for (int i = 0; i < 10000; ++i) {
    int rc = nl_recvmsgs_report(sock_.get(), cb);
    if (rc == -NLE_NOMEM) {  // libnl's mapping of ENOBUFS: messages were lost
      overflow = true;
      continue;
    }
    if (rc <= 0) break;
  }
  nl_cb_put(cb);
  std::vector<RtnlEvent> out;
  out.swap(pending_);
  return out;
}

}  // namespace iscsictl
