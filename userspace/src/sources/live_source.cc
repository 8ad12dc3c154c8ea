#include "sources/live_source.h"

#include "base/dir.h"
#include "sources/module_state.h"
#include "sources/netlink_reader.h"
#include "sources/sysfs_reader.h"

namespace iscsictl {

std::optional<LiveState> LiveStateSource::Read(std::string* error) {
  bool netlink = root_ == "/" || netlink_reader_;
  std::string why;
  if (via_ != LiveVia::kSysfs && netlink) {
    std::optional<LiveState> st = netlink_reader_ ? netlink_reader_(&why)
                                                  : ReadNetlinkLiveState(&why, stats_, on_message_);
    if (st) {
      used_ = "netlink";
      st->via = used_;
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
  LiveState st = ReadSysfsLiveState(root_);
  st.via = used_;
  if (st.module_loaded) {
    st.fallback = why;  // "" when sysfs was asked for (or a recorded tree)
  } else {
    st.module_note = ModuleUnavailableReason(Dir::OpenRoot(root_));
  }
  return st;
}

}  // namespace iscsictl
