// Whether a SCSI disk is in use, and its WWID: what the planner's last-path rule needs
// (sources/disk_use.h reads it).
#pragma once

#include <string>

namespace iscsictl {

struct DiskUse {
  std::string wwid;  // "" if unknown: the disk then counts as having no other path
  bool in_use = false;
  std::string why;  // "sdb1 mounted on /mnt", "held by dm-0", "sdb open for writing by 42 (db)"
};

}  // namespace iscsictl
