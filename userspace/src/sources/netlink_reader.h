// The live state from the iscsi_iface generic netlink family of the iscsi_iface_attrs module
// (docs/netlink.md): one dump gives every host, session, connection and disk, each field as
// model/live_fields.h maps it; disk holders (dm-N), which the module does not report, come
// from sysfs. live_source.h uses it whenever the module is loaded.
#pragma once

#include <linux/netlink.h>

#include <functional>
#include <optional>
#include <string>

#include "base/dir.h"
#include "model/live_state.h"
#include "sources/netlink_socket.h"

namespace iscsictl {

// Adds one dump message (a host or a session) to `st`. False if it is malformed.
// Holders are read below `rootdir` (the live "/", or a recorded tree in tests).
bool AddNetlinkMessage(nlmsghdr* hdr, const Dir& rootdir, LiveState& st);

// The whole live state, sorted (SortLiveState), or nullopt with `error` set (family absent:
// module not loaded, or an older module without it; a malformed message). `on_message`, if
// given, sees every message of the dump first (`iscsictl monitor --dump` prints them).
std::optional<LiveState> ReadNetlinkLiveState(
    std::string* error, DumpStats* stats = nullptr,
    const std::function<void(nlmsghdr*)>& on_message = {});

}  // namespace iscsictl
