// Whether the iscsi_iface_attrs module is there and, when it is not, why: not loaded, or
// loaded and refused (its layout check failed on this kernel: kmod/iia_core.c prints one
// line "<module>: layout check failed: scsi_transport_iscsi's private ..." and the load
// fails). iscsictl then works from sysfs; `status` says which.
#pragma once

#include <string>
#include <string_view>

#include "base/dir.h"

namespace iscsictl {

// "" when the module is loaded (sys/module/iscsi_iface_attrs below `root`); else
// "not loaded", or "refused to load: layout check failed (kernel log)" when the kernel log
// (dev/kmsg below `root`: readable by root only where dmesg is restricted) holds the
// module's refusal.
std::string ModuleUnavailableReason(const Dir& root);

// Whether kernel log text (kmsg records or dmesg lines) holds the module's refusal.
bool KernelLogHasLayoutRefusal(std::string_view log);

}  // namespace iscsictl
