// Human-readable `iscsictl status` and `iscsictl nics`: aligned columns, 80 wide.
#include "report/status_text.h"

#include <fmt/format.h>

#include <algorithm>
#include <string>

#include "base/portal.h"
#include "report/text_escape.h"

namespace iscsictl {
namespace {

std::string Disks(const StatusSession& s) {
  if (!s.live) {
    return "";
  }
  std::string out;
  for (const LiveDisk& d : s.live->disks) {
    std::string one = d.block.empty() ? d.hctl : d.block;
    if (!d.state.empty() && d.state != "running") {
      one += "[" + d.state + "]";
    }
    for (const std::string& h : d.holders) {
      one += ">" + h;
    }
    out += (out.empty() ? "" : " ") + one;
  }
  return out;
}

std::string Marked(const std::string& v, const StatusNic& nic) {
  if (v.empty()) {
    return "-";
  }
  return nic.verified || nic.source == "config" ? v : v + "?";
}

struct Row {
  std::string sid, state, nic, mac, disks;
};

Row MakeRow(const StatusSession& s) {
  Row r;
  r.sid = s.live ? std::to_string(s.live->sid) : "-";
  r.state = s.live ? (s.live->state.empty() ? "?" : s.live->state) : "MISSING";
  r.nic = Marked(s.nic.netdev, s.nic);
  if (s.nic.netdev.empty() && s.host && !s.host->IsSoftware()) {
    r.nic = "(host" + std::to_string(s.host->host_no) + ")";  // offload HBA: no netdev
  }
  r.mac = Marked(s.nic.mac, s.nic);
  r.disks = Disks(s);
  return r;
}

}  // namespace

std::string FormatStatus(const StatusReport& report) {
  std::string out;
  out += fmt::format("module iscsi_iface_attrs: {}; config: {}\n",
                     report.module_loaded ? "loaded" : "not loaded",
                     report.config_file.empty() ? "none (live state only)" : report.config_file);
  if (!report.module_note.empty() && report.module_note != "not loaded") {
    out += fmt::format("module iscsi_iface_attrs {}: live state from sysfs\n", report.module_note);
  }
  if (!report.live_fallback.empty()) {
    out += fmt::format("module's netlink dump unusable ({}): live state from sysfs\n",
                       report.live_fallback);
  }
  if (!report.module_refusal.empty()) {
    out += "  module refused? " + report.module_refusal + "\n";
  }
  if (report.targets.empty()) {
    out += "no iSCSI sessions\n";
    return EscapeUnprintable(out);  // names from targets, the kernel, VPD
  }
  size_t w_sid = 3, w_state = 9, w_nic = 3, w_mac = 17;
  bool unverified = false;
  for (const StatusTarget& t : report.targets) {
    for (const StatusPortal& p : t.portals) {
      for (const StatusSession& s : p.sessions) {
        Row r = MakeRow(s);
        w_sid = std::max(w_sid, r.sid.size());
        w_state = std::max(w_state, r.state.size());
        w_nic = std::max(w_nic, r.nic.size());
        w_mac = std::max(w_mac, r.mac.size());
        unverified = unverified || (!s.nic.verified && s.nic.source != "config");
      }
    }
  }
  auto line = [&](const Row& r) {
    std::string l = fmt::format("    {:<{}} {:<{}} {:<{}} {:<{}} {}", r.sid, w_sid, r.state,
                                w_state, r.nic, w_nic, r.mac, w_mac, r.disks);
    while (!l.empty() && l.back() == ' ') {
      l.pop_back();
    }
    return l + "\n";
  };
  out += line(Row{"SID", "STATE", "NIC", "MAC", "DISKS"});
  std::string indent(4 + w_sid + 1, ' ');
  for (const StatusTarget& t : report.targets) {
    out += fmt::format("target {}\n", t.name);
    for (const StatusPortal& p : t.portals) {
      out += fmt::format("  portal {}\n", FormatPortal(p.address, p.port));
      for (const StatusSession& s : p.sessions) {
        out += line(MakeRow(s));
        if (!s.record_id.empty()) {
          out += indent + "id " + s.record_id + "\n";
        }
        if (s.presence == "missing") {
          out += indent + "configured at " + s.config_pointer + ", not logged in\n";
        } else if (s.presence == "not-in-config") {
          out += indent + "not in the config\n";
        }
      }
    }
  }
  if (unverified) {
    out +=
        "? unverified: iscsid's iface record, not the socket (module not loaded or\n"
        "  connection down)\n";
  }
  return EscapeUnprintable(out);  // names from targets, the kernel, VPD
}

std::string FormatNics(const std::vector<NicInfo>& nics) {
  size_t w_name = 4, w_driver = 6;
  for (const NicInfo& n : nics) {
    w_name = std::max(w_name, n.name.size());
    w_driver = std::max(w_driver, n.driver.size());
  }
  auto dash = [](const std::string& s) { return s.empty() ? std::string("-") : s; };
  std::string out = fmt::format("{:<{}} {:<5} {:<17} {:<{}} {:<12} {}\n", "NAME", w_name, "STATE",
                                "MAC", "DRIVER", w_driver, "PCI", "ADDRESSES");
  for (const NicInfo& n : nics) {
    std::string addrs;
    for (const std::string& a : n.addresses) {
      addrs += (addrs.empty() ? "" : " ") + a;
    }
    std::string state = n.operstate.empty() ? "-" : n.operstate;
    if (!n.carrier && n.operstate == "up") {
      state += "!";
    }
    std::string l = fmt::format("{:<{}} {:<5} {:<17} {:<{}} {:<12} {}", n.name, w_name, state,
                                dash(n.mac), dash(n.driver), w_driver, dash(n.pci_slot), addrs);
    while (!l.empty() && l.back() == ' ') {
      l.pop_back();
    }
    out += l + "\n";
    std::string extra;
    if (!n.perm_mac.empty() && n.perm_mac != n.mac) {
      extra += " permanent MAC " + n.perm_mac;
    }
    if (!n.serial.empty()) {
      extra += " serial " + n.serial;
    }
    if (!extra.empty()) {
      out += std::string(w_name, ' ') + extra + "\n";
    }
  }
  return EscapeUnprintable(out);  // names from targets, the kernel, VPD
}

}  // namespace iscsictl
