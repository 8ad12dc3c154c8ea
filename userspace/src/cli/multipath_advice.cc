#include "cli/multipath_advice.h"

#include <ostream>

#include "plan/multipath_settings_rules.h"
#include "sources/multipathd_config.h"

namespace iscsictl {

size_t PrintMultipathAdvice(const std::vector<DesiredSession>& sessions, const MultipathIo& io,
                            std::ostream& err) {
  std::string error;
  std::optional<MultipathdSettings> settings = ReadMultipathdSettings(io, error);
  if (!settings || sessions.empty()) {
    return 0;  // no multipathd: nothing to contradict
  }
  std::vector<SettingsWarning> warnings = CheckMultipathSettings(sessions, *settings);
  for (const SettingsWarning& w : warnings) {
    err << "iscsictl: warning: " << (w.pointer.empty() ? "" : w.pointer + ": ") << w.text << "\n";
  }
  return warnings.size();
}

}  // namespace iscsictl
