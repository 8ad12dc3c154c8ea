// The live-state reader over libudev (the same model as sysfs_reader.h, from the
// udev device database's view of sysfs). Only reads the live system.
#pragma once

#include <memory>

#include "sources/sysfs_reader.h"

namespace iscsictl {

LiveState ReadUdevLiveState();

std::unique_ptr<LiveStateReader> MakeUdevReader();

}  // namespace iscsictl
