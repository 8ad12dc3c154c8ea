// multipathd's configuration: its `show config` reply (multipath.conf syntax, the built-in
// device table and the local files merged) parsed into model/multipathd_config.h, and
// asked through the one multipathd client (sources/multipath_reader.h's MultipathIo).
#pragma once

#include <string>

#include "model/multipathd_config.h"
#include "sources/multipath_reader.h"

namespace iscsictl {

// Pure: the defaults, devices/device and overrides sections of `text` (other sections,
// such as blacklist's device entries, are skipped). False with `error` set if the sections
// do not balance.
bool ParseMultipathdConfig(const std::string& text, MultipathdConfig& config, std::string& error);

// Whether multipathd answers (`io.multipathd`) and, if so, its configuration.
MultipathdFacts ReadMultipathdFacts(const MultipathIo& io);

}  // namespace iscsictl
