#include "model/config.h"

#include <fmt/format.h>

namespace iscsictl {

std::string IfaceKey(const Iface& iface) {
  switch (iface.kind) {
    case Iface::Kind::kDefault:
      return "default";
    case Iface::Kind::kMac:
      return "mac=" + iface.value;
    case Iface::Kind::kNetdev:
      return "netdev=" + iface.value;
    case Iface::Kind::kRecord:
      return "record=" + iface.value;
    case Iface::Kind::kRule:
      return fmt::format("match=subnet:{},name:{},driver:{}", iface.subnet, iface.name_glob,
                         iface.driver);
  }
  return "?";
}

std::string DesiredSession::Key() const {
  std::string address;
  int64_t port = 0;
  if (!conns.empty()) {
    address = conns.front().address.value_or("");
    port = conns.front().port.value_or(0);
  }
  return fmt::format("{},{},{},{}", target, address, port, IfaceKey(iface));
}

SessionParams BuiltinSessionParams() {
  SessionParams p;
  p.initial_cmdsn = 0;
  p.initial_login_retry_max = 8;
  p.authmethod = "None";
  p.replacement_timeout = 120;
  p.abort_timeout = 15;
  p.lu_reset_timeout = 30;
  p.tgt_reset_timeout = 30;
  p.host_reset_timeout = 60;
  p.initial_r2t = false;
  p.immediate_data = true;
  p.first_burst_length = 262144;
  p.max_burst_length = 16776192;
  p.default_time2retain = 0;
  p.default_time2wait = 2;
  p.max_connections = 1;
  p.max_outstanding_r2t = 1;
  p.erl = 0;
  return p;
}

ConnParams BuiltinConnParams() {
  ConnParams p;
  p.port = 3260;
  p.startup = "manual";
  p.window_size = 524288;
  p.type_of_service = 0;
  p.login_timeout = 15;
  p.logout_timeout = 15;
  p.auth_timeout = 45;
  p.active_timeout = 5;
  p.idle_timeout = 60;
  p.ping_timeout = 5;
  p.noop_out_interval = 5;
  p.noop_out_timeout = 5;
  p.max_recv_data_segment_length = 262144;
  p.header_digest = "None";
  p.data_digest = "None";
  p.if_marker = false;
  p.of_marker = false;
  return p;
}

}  // namespace iscsictl
