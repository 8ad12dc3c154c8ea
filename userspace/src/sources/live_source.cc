#include "sources/live_source.h"

#include "sources/netlink_reader.h"
#include "sources/sysfs_reader.h"

namespace iscsictl {

std::optional<LiveState> LiveStateSource::Read(std::string* error) {
  bool live_system = root_ == "/";
  if (via_ != LiveVia::kSysfs && live_system) {
    std::string why;
    std::optional<LiveState> st = ReadNetlinkLiveState(&why, stats_, on_message_);
    if (st) {
      used_ = "netlink";
      return st;
    }
    if (via_ == LiveVia::kNetlink) {
      if (error != nullptr) {
        *error = why;
      }
      return std::nullopt;
    }
  } else if (via_ == LiveVia::kNetlink) {
    if (error != nullptr) {
      *error = "netlink reads the live system only (not a tree below " + root_ + ")";
    }
    return std::nullopt;
  }
  used_ = "sysfs";
  return ReadSysfsLiveState(root_);
}

}  // namespace iscsictl
