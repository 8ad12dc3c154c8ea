// Prometheus text exposition format 0.0.4 of `iscsictl status` (and the daemon's passes).
#include "report/status_prometheus.h"

#include <fmt/format.h>

#include <vector>

#include "base/portal.h"

namespace iscsictl {
namespace {

// Length of the valid UTF-8 sequence at s[i], or 0.
size_t Utf8Length(std::string_view s, size_t i) {
  auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  auto cont = [&](size_t k) { return k < s.size() && (b(k) & 0xC0) == 0x80; };
  unsigned char c = b(i);
  if (c < 0x80) {
    return 1;
  }
  if (c >= 0xC2 && c <= 0xDF) {
    return cont(i + 1) ? 2 : 0;
  }
  if (c >= 0xE0 && c <= 0xEF) {
    if (!cont(i + 1) || !cont(i + 2)) {
      return 0;
    }
    if (c == 0xE0 && b(i + 1) < 0xA0) {  // overlong
      return 0;
    }
    if (c == 0xED && b(i + 1) > 0x9F) {  // surrogates
      return 0;
    }
    return 3;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (!cont(i + 1) || !cont(i + 2) || !cont(i + 3)) {
      return 0;
    }
    if (c == 0xF0 && b(i + 1) < 0x90) {  // overlong
      return 0;
    }
    if (c == 0xF4 && b(i + 1) > 0x8F) {  // above U+10FFFF
      return 0;
    }
    return 4;
  }
  return 0;
}

// HELP text: backslash and line feed escaped (the texts are ours, but stay safe).
std::string HelpText(std::string_view v) {
  std::string out;
  for (char c : v) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

using Labels = std::vector<std::pair<std::string_view, std::string>>;

std::string LabelText(const Labels& labels) {
  if (labels.empty()) {
    return "";
  }
  std::string out = "{";
  for (size_t i = 0; i < labels.size(); ++i) {
    if (i > 0) {
      out += ",";
    }
    out += labels[i].first;
    out += "=\"";
    out += PrometheusLabelValue(labels[i].second);
    out += "\"";
  }
  return out + "}";
}

// One metric family: its samples by label text, in a stable order.
struct Family {
  std::string_view name;
  std::string_view type;  // "gauge" or "counter"
  std::string_view help;
  std::map<std::string, double> samples;

  void Set(const Labels& l, double v) { samples[LabelText(l)] = v; }
  void Add(const Labels& l, double v) { samples[LabelText(l)] += v; }
};

std::string FormatValue(double v) {
  if (v == static_cast<double>(static_cast<long long>(v))) {
    return std::to_string(static_cast<long long>(v));
  }
  return fmt::format("{:.3f}", v);
}

void Print(std::string& out, const Family& f) {
  if (f.samples.empty()) {  // no series: no family (a scrape shows nothing stale)
    return;
  }
  out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", f.name, HelpText(f.help), f.name, f.type);
  for (const auto& [labels, value] : f.samples) {
    out += fmt::format("{}{} {}\n", f.name, labels, FormatValue(value));
  }
}

// target, portal, nic, mac: where a session goes and through which NIC.
Labels PathLabels(const StatusTarget& t, const StatusPortal& p, const StatusSession& s) {
  return {{"target", t.name},
          {"portal", FormatPortal(p.address, p.port)},
          {"nic", s.nic.netdev},
          {"mac", s.nic.mac}};
}

Labels With(Labels l, std::string_view key, std::string value) {
  l.emplace_back(key, std::move(value));
  return l;
}

std::string StateOr(const std::string& state) {
  return state.empty() ? "unknown" : state;
}

}  // namespace

std::string PrometheusLabelValue(std::string_view v) {
  std::string out;
  out.reserve(v.size());
  for (size_t i = 0; i < v.size();) {
    size_t n = Utf8Length(v, i);
    if (n == 0) {
      out += "\xEF\xBF\xBD";  // U+FFFD
      ++i;
      continue;
    }
    if (v[i] == '\\') {
      out += "\\\\";
    } else if (v[i] == '"') {
      out += "\\\"";
    } else if (v[i] == '\n') {
      out += "\\n";
    } else {
      out.append(v.substr(i, n));
    }
    i += n;
  }
  return out;
}

std::string StatusToPrometheus(const StatusReport& report, const PassMetrics* daemon) {
  Family module{"iscsictl_module_loaded",
                "gauge",
                "1 when the iscsi_iface_attrs module is loaded (verified NIC per connection)",
                {}};
  Family config{"iscsictl_config_used",
                "gauge",
                "1 when a config was read (the *_wanted series come from it)",
                {}};
  Family wanted{"iscsictl_sessions_wanted",
                "gauge",
                "Sessions the config asks for, by target, portal and NIC",
                {}};
  Family present{"iscsictl_sessions_present",
                 "gauge",
                 "Sessions the kernel has (any state), by target, portal and NIC",
                 {}};
  Family logged_in{"iscsictl_sessions_logged_in",
                   "gauge",
                   "Sessions in state LOGGED_IN, by target, portal and NIC",
                   {}};
  Family unmanaged{"iscsictl_sessions_not_in_config",
                   "gauge",
                   "Sessions the kernel has that the config does not name",
                   {}};
  Family by_state{"iscsictl_sessions_by_state",
                  "gauge",
                  "Sessions by kernel session state (LOGGED_IN, FAILED, FREE), target, portal "
                  "and NIC",
                  {}};
  Family conns{"iscsictl_connections",
               "gauge",
               "Connections by connection state, target, portal and NIC",
               {}};
  Family disks{"iscsictl_disks",
               "gauge",
               "SCSI disks of the sessions by device state (running, offline, ...)",
               {}};
  Family paths_wanted{"iscsictl_target_paths_wanted",
                      "gauge",
                      "Sessions (paths) the config asks for, by target",
                      {}};
  Family paths_up{"iscsictl_target_paths_logged_in",
                  "gauge",
                  "Sessions (paths) in state LOGGED_IN, by target",
                  {}};

  module.Set({}, report.module_loaded ? 1 : 0);
  bool use_config = !report.config_file.empty();
  config.Set({}, use_config ? 1 : 0);
  for (const StatusTarget& t : report.targets) {
    Labels target{{"target", t.name}};
    if (use_config) {
      paths_wanted.Add(target, 0);
    }
    paths_up.Add(target, 0);
    for (const StatusPortal& p : t.portals) {
      for (const StatusSession& s : p.sessions) {
        Labels path = PathLabels(t, p, s);
        bool in_config = s.presence == "configured" || s.presence == "missing";
        bool up = s.live && s.live->state == "LOGGED_IN";
        if (use_config) {
          wanted.Add(path, in_config ? 1 : 0);
          paths_wanted.Add(target, in_config ? 1 : 0);
          unmanaged.Add(path, s.presence == "not-in-config" ? 1 : 0);
        }
        present.Add(path, s.live ? 1 : 0);
        logged_in.Add(path, up ? 1 : 0);
        paths_up.Add(target, up ? 1 : 0);
        if (!s.live) {
          continue;
        }
        by_state.Add(With(path, "state", StateOr(s.live->state)), 1);
        for (const LiveConnection& c : s.live->connections) {
          conns.Add(With(path, "state", StateOr(c.state)), 1);
        }
        for (const LiveDisk& d : s.live->disks) {
          disks.Add(With(path, "state", StateOr(d.state)), 1);
        }
      }
    }
  }

  std::string out;
  for (const Family* f : {&module, &config, &wanted, &present, &logged_in, &unmanaged, &by_state,
                          &conns, &disks, &paths_wanted, &paths_up}) {
    Print(out, *f);
  }
  if (daemon != nullptr) {
    Family last_time{"iscsictl_daemon_last_pass_timestamp_seconds",
                     "gauge",
                     "When the daemon's last reconcile pass ended (Unix time)",
                     {}};
    Family last_secs{"iscsictl_daemon_last_pass_duration_seconds",
                     "gauge",
                     "How long the daemon's last reconcile pass took",
                     {}};
    Family last_result{"iscsictl_daemon_last_pass_result",
                       "gauge",
                       "1 for the result of the daemon's last pass, 0 for the others",
                       {}};
    Family passes{"iscsictl_daemon_passes_total",
                  "counter",
                  "Reconcile passes since the daemon started, by result",
                  {}};
    Family actions{"iscsictl_daemon_actions_total",
                   "counter",
                   "Actions carried out since the daemon started, by kind and result "
                   "(ok, failed, skipped)",
                   {}};
    if (daemon->last_pass_time > 0) {
      last_time.Set({}, daemon->last_pass_time);
      last_secs.Set({}, daemon->last_pass_seconds);
      for (std::string_view r : kPassResults) {
        last_result.Set({{"result", std::string(r)}}, daemon->last_result == r ? 1 : 0);
      }
    }
    for (const auto& [result, n] : daemon->passes_total) {
      passes.Set({{"result", result}}, static_cast<double>(n));
    }
    for (const auto& [key, n] : daemon->actions_total) {
      actions.Set({{"kind", key.first}, {"result", key.second}}, static_cast<double>(n));
    }
    for (const Family* f : {&last_time, &last_secs, &last_result, &passes, &actions}) {
      Print(out, *f);
    }
  }
  return out;
}

}  // namespace iscsictl
