// `iscsictl doctor`'s multipathd check (docs/doctor.md), pure over multipathd's facts (its
// socket answered or not, its `show config` as data): a target with several paths needs
// multipathd running; multipathd writes its fast_io_fail_tmo into each session's
// recovery_tmo, so it must equal the config's replacement_timeout; LIO-ORG devices need
// hardware_handler "0" (docs/multipath.md).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/doctor.h"
#include "model/multipath_settings.h"

namespace iscsictl {

// Where multipathd's local settings go (its config_dir).
inline constexpr const char* kMultipathDropIn = "/etc/multipath/conf.d/90-iscsictl.conf";

// What the check needs of one target of the config.
struct MpathTargetFacts {
  std::string name;
  size_t sessions = 0;                       // sessions the config wants (paths)
  std::vector<int64_t> replacement_timeouts;  // the config's, once each
  std::vector<ScsiIdentity> devices;          // of its disks now, once each (may be none)
};

// The value multipathd uses for `key` on a device (`vendor`, `product`; both "" when no
// device is known: then only overrides and defaults count): overrides first, then the
// last device section matching it that sets `key` (local sections come after the built-in
// ones, so they win), then defaults. `where` (if given) names the section.
std::optional<std::string> MultipathdSetting(const MultipathdSettings& config,
                                             const std::string& vendor,
                                             const std::string& product, const std::string& key,
                                             std::string* where = nullptr);

// Findings for the targets with two or more sessions (single-path targets need no
// multipathd): multipathd not running; fast_io_fail_tmo unlike replacement_timeout;
// LIO-ORG without hardware_handler "0". `config_file` names the iscsictl config in fixes.
std::vector<DoctorFinding> CheckMultipathd(const MultipathdFacts& facts,
                                           const std::vector<MpathTargetFacts>& targets,
                                           const std::string& config_file);

}  // namespace iscsictl
