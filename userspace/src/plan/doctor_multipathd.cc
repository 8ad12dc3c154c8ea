#include "plan/doctor_multipathd.h"

#include <fmt/format.h>

#include <charconv>
#include <regex>

namespace iscsictl {
namespace {

// multipath.conf's regex match: regexec (unanchored) with REG_EXTENDED; an empty
// expression matches everything; an expression std::regex refuses matches nothing.
bool RegexMatches(const std::string& expr, const std::string& text) {
  if (expr.empty()) {
    return true;
  }
  try {
    return std::regex_search(text, std::regex(expr, std::regex::extended | std::regex::nosubs));
  } catch (const std::regex_error&) {
    return false;
  }
}

std::optional<int64_t> Seconds(const std::string& value) {
  int64_t v = 0;
  auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
  if (ec != std::errc() || end != value.data() + value.size()) {
    return std::nullopt;
  }
  return v;
}

// The drop-in lines setting `key` to `value` where `where` said it came from.
std::vector<std::string> DropIn(const std::string& where, const ScsiIdentity& dev,
                                const std::string& key, const std::string& value) {
  if (where == "overrides" || (dev.vendor.empty() && where != "defaults")) {
    return {fmt::format("  overrides {{ {} {} }}", key, value)};
  }
  if (dev.vendor.empty()) {
    return {fmt::format("  defaults {{ {} {} }}", key, value)};
  }
  return {fmt::format("  devices {{ device {{ vendor \"{}\" product \".*\" {} {} }} }}",
                      dev.vendor, key, value)};
}

std::string Named(const ScsiIdentity& dev) {
  return dev.vendor.empty() ? "its devices" : fmt::format("{} devices", dev.vendor);
}

void CheckTimeout(const MultipathdSettings& config, const MpathTargetFacts& t,
                  const ScsiIdentity& dev, const std::string& config_file,
                  std::vector<DoctorFinding>& out) {
  std::string where;
  std::optional<std::string> tmo =
      MultipathdSetting(config, dev.vendor, dev.model, "fast_io_fail_tmo", &where);
  std::optional<int64_t> secs = tmo ? Seconds(*tmo) : std::nullopt;
  if (!secs || *secs <= 0) {
    return;  // unset, "off" or 0: multipathd leaves recovery_tmo alone
  }
  for (int64_t want : t.replacement_timeouts) {
    if (want == *secs) {
      continue;
    }
    std::vector<std::string> fix{
        fmt::format("in {}: \"session_defaults\": {{\"timeo\": {{\"replacement_timeout\": "
                    "{}}}}} (of the file or of {})",
                    config_file, *secs, t.name),
        fmt::format("or keep {} s: in {}, then `multipathd reconfigure`:", want,
                    kMultipathDropIn)};
    for (const std::string& line : DropIn(where, dev, "fast_io_fail_tmo", std::to_string(want))) {
      fix.push_back(line);
    }
    out.push_back({"multipathd",
                   fmt::format("fast_io_fail_tmo {} ({}) for {} of {}: multipathd writes it into "
                               "the sessions' recovery_tmo, the config's replacement_timeout is {}",
                               *secs, where, Named(dev), t.name, want),
                   fix});
  }
}

void CheckHandler(const MultipathdSettings& config, const MpathTargetFacts& t,
                  const ScsiIdentity& dev, std::vector<DoctorFinding>& out) {
  if (dev.vendor != "LIO-ORG") {
    return;
  }
  std::string where;
  std::optional<std::string> handler =
      MultipathdSetting(config, dev.vendor, dev.model, "hardware_handler", &where);
  if (!handler || *handler == "0") {
    return;
  }
  std::vector<std::string> fix{
      fmt::format("in {}, then `multipathd reconfigure`:", kMultipathDropIn)};
  for (const std::string& line : DropIn("device", dev, "hardware_handler", "\"0\"")) {
    fix.push_back(line);
  }
  out.push_back({"multipathd",
                 fmt::format("hardware_handler \"{}\" ({}) for LIO-ORG devices of {}: dm cannot "
                             "attach the handler to LIO's LUNs and builds no map",
                             *handler, where, t.name),
                 fix});
}

}  // namespace

std::optional<std::string> MultipathdSetting(const MultipathdSettings& config,
                                             const std::string& vendor,
                                             const std::string& product, const std::string& key,
                                             std::string* where) {
  auto found = [&](const std::string& w, const std::string& v) {
    if (where != nullptr) {
      *where = w;
    }
    return std::optional<std::string>(v);
  };
  if (auto it = config.overrides.keys.find(key); it != config.overrides.keys.end()) {
    return found("overrides", it->second);
  }
  if (!vendor.empty()) {
    for (size_t i = config.devices.size(); i-- > 0;) {
      const MultipathdSection& d = config.devices[i];
      auto it = d.keys.find(key);
      if (it != d.keys.end() && RegexMatches(d.Get("vendor"), vendor) &&
          RegexMatches(d.Get("product"), product)) {
        return found(fmt::format("device \"{}\" \"{}\"", d.Get("vendor"), d.Get("product")),
                     it->second);
      }
    }
  }
  if (auto it = config.defaults.keys.find(key); it != config.defaults.keys.end()) {
    return found("defaults", it->second);
  }
  return std::nullopt;
}

std::vector<DoctorFinding> CheckMultipathd(const MultipathdFacts& facts,
                                           const std::vector<MpathTargetFacts>& targets,
                                           const std::string& config_file) {
  std::vector<DoctorFinding> out;
  std::vector<const MpathTargetFacts*> multi;
  for (const MpathTargetFacts& t : targets) {
    if (t.sessions >= 2) {
      multi.push_back(&t);
    }
  }
  if (multi.empty()) {
    return out;
  }
  if (!facts.running) {
    out.push_back({"multipathd",
                   fmt::format("{}: {} has {} paths and nothing joins them into one device",
                               facts.error.empty() ? "multipathd is not running" : facts.error,
                               multi.front()->name, multi.front()->sessions),
                   {"systemctl enable --now multipathd   (package multipath-tools; settings: "
                    "docs/multipath.md)"}});
    return out;
  }
  if (!facts.config) {
    out.push_back({"multipathd",
                   fmt::format("multipathd runs but its settings are unreadable: {}", facts.error),
                   {"multipathd show config"}});
    return out;
  }
  for (const MpathTargetFacts* t : multi) {
    std::vector<ScsiIdentity> devices = t->devices;
    if (devices.empty()) {
      devices.push_back({});  // no disk yet: what applies to every device
    }
    for (const ScsiIdentity& dev : devices) {
      CheckTimeout(*facts.config, *t, dev, config_file, out);
      CheckHandler(*facts.config, *t, dev, out);
    }
  }
  return out;
}

}  // namespace iscsictl
