// validate's and plan's warnings where the config's session timeouts contradict
// multipathd's settings (plan/multipath_settings_rules.h), read from the running
// multipathd (sources/multipathd_config.h). Nothing is said without multipathd.
#pragma once

#include <iosfwd>
#include <vector>

#include "model/config.h"
#include "sources/multipath_reader.h"

namespace iscsictl {

// One "iscsictl: warning: ..." line per warning on `err`; returns how many.
size_t PrintMultipathAdvice(const std::vector<DesiredSession>& sessions, const MultipathIo& io,
                            std::ostream& err);

}  // namespace iscsictl
