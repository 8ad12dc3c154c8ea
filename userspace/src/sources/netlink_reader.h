// The live-state reader over the iscsi_iface generic netlink family of the
// iscsi_iface_attrs module (docs/netlink.md): one dump gives every host, session,
// connection and disk. Same model as sysfs_reader.h; disk holders (dm-N), which the
// module does not report, come from sysfs.
#pragma once

#include <linux/netlink.h>

#include <memory>
#include <optional>
#include <string>

#include "sources/netlink_socket.h"
#include "sources/sysfs_dir.h"
#include "sources/sysfs_reader.h"

namespace iscsictl {

// Adds one dump message (a host or a session) to `st`. False if it is malformed.
// Holders are read below `rootdir` (the live "/", or a recorded tree in tests).
bool AddNetlinkMessage(nlmsghdr* hdr, const SysfsDir& rootdir, LiveState& st);
// Sorts as the sysfs reader does (hosts by number, sessions by sid, ...).
void SortLiveState(LiveState& st);

// The whole live state, or nullopt with `error` set (family absent: module not loaded,
// or an older module without it).
std::optional<LiveState> ReadNetlinkLiveState(std::string* error, DumpStats* stats = nullptr);

}  // namespace iscsictl
