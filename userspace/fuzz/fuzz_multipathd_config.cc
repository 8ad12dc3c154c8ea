// multipathd's `show config` text (multipath.conf syntax): the parser never crashes, keeps
// its bounds, leaves nothing behind on a refusal; the settings rules take whatever it kept.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "plan/multipath_settings_rules.h"
#include "sources/multipathd_config.h"

namespace {

void CheckBounds(const iscsictl::MultipathdSection& s) {
  if (s.keys.size() > iscsictl::kMaxMultipathdKeys) {
    abort();
  }
  for (const auto& [key, value] : s.keys) {
    if (value.size() > iscsictl::kMaxMultipathdValue) {
      abort();
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  iscsictl::MultipathdSettings settings;
  std::string error;
  if (!iscsictl::ParseMultipathdConfig(text, settings, error)) {
    if (error.empty() || !settings.devices.empty() || !settings.defaults.keys.empty()) {
      abort();  // a refusal says why and keeps nothing
    }
    return 0;
  }
  if (settings.devices.size() > iscsictl::kMaxMultipathdDevices) {
    abort();
  }
  CheckBounds(settings.defaults);
  CheckBounds(settings.overrides);
  for (const iscsictl::MultipathdSection& d : settings.devices) {
    CheckBounds(d);
  }
  iscsictl::DesiredSession session;
  session.pointer = "/targets/0";
  session.params.replacement_timeout = 5;
  session.conns.resize(1);
  session.conns[0].noop_out_interval = 2;
  session.conns[0].noop_out_timeout = 2;
  (void)iscsictl::CheckMultipathSettings({session}, settings);
  return 0;
}
