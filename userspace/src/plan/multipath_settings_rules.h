// The config's session timeouts against multipathd's settings (validate and plan warn;
// docs/multipath.md, "Recommended settings"). Pure: the settings come from
// sources/multipathd_config.h. multipathd writes each iSCSI session's recovery_tmo
// (open-iscsi's replacement_timeout) from its fast_io_fail_tmo at every path check, so a
// config that says otherwise is silently overruled. A few rules, each with its fix:
//  1. replacement_timeout differs from fast_io_fail_tmo;
//  2. NOP-Outs off, or noop_out_interval + noop_out_timeout above fast_io_fail_tmo (a dead
//     path is noticed later than multipathd is set to fail over);
//  3. dev_loss_tmo below fast_io_fail_tmo;
//  4. no_path_retry "queue" (a volume without a path queues I/O forever).
// Judged for each device entry multipathd has (`show config local`: devices present), or
// its defaults when it has none; the same warning once.
#pragma once

#include <string>
#include <vector>

#include "model/config.h"
#include "model/multipath_settings.h"

namespace iscsictl {

struct SettingsWarning {
  std::string pointer;  // the config's JSON pointer it concerns ("" for multipathd alone)
  std::string text;     // what contradicts what, and the fix
};

std::vector<SettingsWarning> CheckMultipathSettings(const std::vector<DesiredSession>& sessions,
                                                    const MultipathdSettings& multipathd);

}  // namespace iscsictl
