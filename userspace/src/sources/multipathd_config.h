// multipathd's configuration as `show config local` (or `show config`) prints it, in
// multipath.conf syntax: the parser of its `defaults`, `overrides` and `devices` sections
// (every other section is skipped, its nesting checked), and the reader that asks
// multipathd over its socket (sources/multipath_reader.h's client). The parser takes
// hostile text (a fuzz target: userspace/fuzz/fuzz_multipathd_config.cc): sizes, nesting
// and counts are bounded, and it never throws.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "model/multipath_settings.h"
#include "sources/multipath_reader.h"

namespace iscsictl {

inline constexpr size_t kMaxMultipathdConfig = 4 << 20;  // bytes of text
inline constexpr size_t kMaxMultipathdDepth = 8;         // nested sections
inline constexpr size_t kMaxMultipathdDevices = 4096;    // device entries kept
inline constexpr size_t kMaxMultipathdKeys = 128;        // keys kept a section
inline constexpr size_t kMaxMultipathdValue = 1024;      // bytes of one value

// Parses `text`; false with `error` ("line 12: unbalanced '}'", ...) when it is not
// multipath.conf syntax or exceeds a bound.
bool ParseMultipathdConfig(std::string_view text, MultipathdSettings& out, std::string& error);

// multipathd's effective settings for the devices present (`show config local`, else
// `show config` from a multipathd without it); nullopt with `error` when multipathd does
// not answer (not running) or answers something else.
std::optional<MultipathdSettings> ReadMultipathdSettings(const MultipathIo& io, std::string& error);

// The same for doctor, which also tells "not running" from "answered something else".
MultipathdFacts ReadMultipathdFacts(const MultipathIo& io);

}  // namespace iscsictl
