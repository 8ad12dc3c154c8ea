#include "cli/cmd_monitor.h"

#include <netlink/genl/genl.h>

#include <nlohmann/json.hpp>
#include <ostream>
#include <string>

#include "base/exit_status.h"
#include "sources/live_source.h"
#include "sources/netlink_attrs.h"
#include "sources/netlink_socket.h"

namespace iscsictl {
namespace {

nlohmann::ordered_json MessageJson(nlmsghdr* hdr) {
  auto* gnl = static_cast<genlmsghdr*>(nlmsg_data(hdr));
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  std::string event = NetlinkEventName(gnl->cmd);
  if (!event.empty()) {
    j["event"] = event;
  }
  j.update(NlAttrsToJson(genlmsg_attrdata(gnl, 0), genlmsg_attrlen(gnl, 0)));
  return j;
}

// One dump through the live-state source (the same exchange `status` makes), printed a
// JSON line per message as it arrives, then the dump's size.
int Dump(std::ostream& out, std::ostream& err) {
  DumpStats stats;
  LiveStateSource source("/", LiveVia::kNetlink);
  source.Observe(
      [&](nlmsghdr* hdr) {
        nlohmann::ordered_json j = nlohmann::ordered_json::object();
        j["datagram"] = stats.datagrams;
        j.update(MessageJson(hdr));
        out << j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
      },
      &stats);
  std::string error;
  if (!source.Read(&error)) {
    err << "iscsictl: " << error << "\n";
    return kExitFailure;
  }
  nlohmann::ordered_json total = {{"datagrams", stats.datagrams},
                                  {"messages", stats.messages},
                                  {"bytes", stats.bytes}};
  out << total.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  return kExitOk;
}

}  // namespace

MonitorCommand::MonitorCommand(CLI::App& app) {
  cmd_ = app.add_subcommand("monitor", "Print iSCSI session events as JSON lines");
  cmd_->group("");  // hidden: for tests and the daemon
  cmd_->add_flag("--netlink", netlink_, "From the iscsi_iface_attrs netlink family (the only source)");
  cmd_->add_flag("--dump", dump_, "Print one dump, a JSON line per message, and exit");
  cmd_->add_option("--count", count_, "Exit after this many events");
}

std::optional<int> MonitorCommand::Run(std::ostream& out, std::ostream& err) {
  if (!cmd_->parsed()) {
    return std::nullopt;
  }
  if (!netlink_) {
    err << "iscsictl: monitor needs --netlink (the only event source so far)\n";
    return kExitBadInput;
  }
  if (dump_) {
    return Dump(out, err);
  }
  GenlSocket sock(IIA_GENL_NAME);
  if (!sock.Valid()) {
    err << "iscsictl: " << sock.Error() << "\n";
    return kExitFailure;
  }
  if (!sock.Subscribe(IIA_GENL_MCGRP_EVENTS)) {
    err << "iscsictl: " << sock.Error() << "\n";
    return kExitFailure;
  }
  out << nlohmann::ordered_json({{"event", "subscribed"}}).dump() << std::endl;
  long seen = 0;
  while (count_ == 0 || seen < count_) {
    bool ok = sock.ReceiveEvents([&](nlmsghdr* hdr) {
      out << MessageJson(hdr).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << std::endl;
      ++seen;
    });
    if (!ok) {
      err << "iscsictl: " << sock.Error() << "\n";
      return kExitFailure;
    }
  }
  return kExitOk;
}

}  // namespace iscsictl
