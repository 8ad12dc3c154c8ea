// sd_notify(3) by hand: one datagram to $NOTIFY_SOCKET (no libsystemd). A no-op when the
// variable is unset (not started by systemd).
#pragma once

#include <string_view>

namespace iscsictl {

// Sends "STATE[\nSTATUS=status]"; false if $NOTIFY_SOCKET is set but the send failed.
bool SdNotify(std::string_view state, std::string_view status = {});

}  // namespace iscsictl
