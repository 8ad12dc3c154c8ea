// multipathd's configuration as data (its `show config` reply, parsed by
// sources/multipathd_config.h): the attributes of the defaults, devices and overrides
// sections, in the order multipathd lists them (built-in device entries first, the local
// ones after them).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace iscsictl {

struct MultipathdDevice {
  std::string vendor;   // POSIX extended regular expressions, as in multipath.conf
  std::string product;
  std::string revision;
  std::map<std::string, std::string> attrs;  // every other attribute, unquoted
};

struct MultipathdConfig {
  std::map<std::string, std::string> defaults;
  std::vector<MultipathdDevice> devices;
  std::map<std::string, std::string> overrides;
  // overrides { protocol { type "scsi:iscsi" ... } }: above overrides for iSCSI paths.
  std::map<std::string, std::string> overrides_iscsi;
};

// What doctor knows of multipathd: whether it answers on its socket and its configuration.
struct MultipathdFacts {
  bool running = false;
  std::string error;                      // why not running / why its config is unknown
  std::optional<MultipathdConfig> config;  // nullopt if not running or its reply is unreadable
};

}  // namespace iscsictl
