#include "report/volumes_text.h"

#include <fmt/format.h>

namespace iscsictl {
namespace {

std::string Dash(const std::string& s) {
  return s.empty() ? "-" : s;
}

std::string Size(uint64_t bytes) {
  if (bytes >= (1ull << 30)) {
    return fmt::format("{:.1f} GiB", static_cast<double>(bytes) / (1ull << 30));
  }
  return fmt::format("{:.1f} MiB", static_cast<double>(bytes) / (1ull << 20));
}

}  // namespace

std::string FormatVolumes(const VolumeReport& report) {
  if (report.volumes.empty()) {
    return "";
  }
  std::string out;
  for (const Volume& v : report.volumes) {
    out += fmt::format("volume {} (target {})\n", v.wwid, v.target);
    if (v.map) {
      const MpathMap& m = *v.map;
      out += fmt::format("  map {} ({}, {}", m.name, m.dm, Size(m.size));
      if (!m.groups.empty()) {
        out += ", " + m.groups.front().selector;
      }
      if (!m.features.empty() && m.features != "0") {
        out += ", features " + m.features;
      }
      out += ")\n";
    } else {
      out += fmt::format("  no multipath map: {}\n", v.no_map);
    }
    out += fmt::format("  health {}: wanted {}, logged in {}, active {}\n", HealthName(v.health),
                       v.wanted < 0 ? std::string("-") : std::to_string(v.wanted), v.logged_in,
                       v.active);
    for (const std::string& n : v.notes) {
      out += "  note: " + n + "\n";
    }
    out += fmt::format("    {:<5} {:<4} {:<10} {:<10} {:<17} {:<7} {:<9} {}\n", "DISK", "SID",
                       "SESSION", "NIC", "MAC", "DM", "CHECKER", "GROUP");
    for (const VolumePath& p : v.paths) {
      std::string l =
          fmt::format("    {:<5} {:<4} {:<10} {:<10} {:<17} {:<7} {:<9} {}", Dash(p.dev),
                      p.sid < 0 ? std::string("-") : std::to_string(p.sid), Dash(p.session_state),
                      Dash(p.netdev), Dash(p.mac), Dash(p.dm_state), Dash(p.checker),
                      p.group > 0 ? std::to_string(p.group) : std::string("-"));
      while (!l.empty() && l.back() == ' ') {
        l.pop_back();
      }
      out += l + "\n";
    }
  }
  if (!report.multipathd) {
    out += fmt::format("checker states unavailable: {}\n", report.multipathd_error);
  }
  if (!report.dm_error.empty()) {
    out += fmt::format("dm path states unavailable: {}\n", report.dm_error);
  }
  return out;
}

std::string FormatCheck(const CheckResult& check) {
  std::string out = check.summary + "\n";
  for (const std::string& l : check.lines) {
    out += l + "\n";
  }
  return out;
}

}  // namespace iscsictl
