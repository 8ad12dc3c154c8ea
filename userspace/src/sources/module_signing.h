// Reads what decides whether the kernel accepts iscsi_iface_attrs unsigned
// (model/module_signing.h), below `root` ("/" or a recorded tree) for kernel `release`.
#pragma once

#include <string>

#include "model/module_signing.h"

namespace iscsictl {

ModuleSigning ReadModuleSigning(const std::string& root, const std::string& release);

// The running kernel's release (uname -r).
std::string KernelRelease();

}  // namespace iscsictl
