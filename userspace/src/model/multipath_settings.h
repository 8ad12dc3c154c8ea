// multipathd's effective settings as it prints them (`show config local`, multipath.conf
// syntax; sources/multipathd_config.h parses them): the defaults, overrides and device
// sections, each as key -> value text. Plain data; plan/multipath_settings_rules.h judges
// the config against them.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace iscsictl {

struct MultipathdSection {
  std::map<std::string, std::string> keys;  // "fast_io_fail_tmo" -> "5", "vendor" -> "LIO-ORG"
  // The value of `key`, "" if not set.
  std::string Get(const std::string& key) const;
};

struct MultipathdSettings {
  MultipathdSection defaults;
  MultipathdSection overrides;
  std::vector<MultipathdSection> devices;  // `devices { device { ... } ... }`, in order

  // What multipathd uses for a path of `device` (nullptr: a device without an entry):
  // overrides, then the device's entry, then defaults; "" if none says.
  std::string Effective(const MultipathdSection* device, const std::string& key) const;
};

// What doctor knows of multipathd: whether it answers on its socket, and its settings.
struct MultipathdFacts {
  bool running = false;
  std::string error;                        // why not running / why its settings are unknown
  std::optional<MultipathdSettings> config;  // nullopt if not running or its reply is unreadable
};

}  // namespace iscsictl
