// The device mapper's table or status of one map, read with the DM_TABLE_STATUS ioctl on
// /dev/mapper/control (linux/dm-ioctl.h) rather than through libdevmapper, which with
// libselinux and libpcre2 cost every iscsictl process its load time. The reply's parser is
// pure and bounds-checked (fuzz_dm_ioctl); the ioctl is the I/O edge.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace iscsictl {

// The params of the first target of `type` in a DM_TABLE_STATUS reply (the struct dm_ioctl
// header, then dm_target_spec + NUL-terminated params per target); nullopt with `error`
// set when the reply is malformed or has no such target.
std::optional<std::string> DmReplyParams(std::string_view reply, std::string_view type,
                                         std::string& error);

// The table (`status` false) or status (true) params of map `name`'s `type` target, read
// from the kernel; nullopt with `error` set (not root, no such map, no such target).
std::optional<std::string> ReadDmParams(const std::string& name, bool status,
                                        std::string_view type, std::string& error);

}  // namespace iscsictl
