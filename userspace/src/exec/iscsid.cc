#include "exec/iscsid.h"

#include <fmt/format.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstring>

#include "base/fd.h"

namespace iscsictl {

std::optional<std::string> CheckIscsid(const std::string& name) {
  Fd fd(socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!fd.Valid()) {
    return fmt::format("socket: {}", std::strerror(errno));
  }
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  size_t n = std::min(name.size(), sizeof addr.sun_path - 1);
  std::memcpy(addr.sun_path + 1, name.data(), n);  // abstract: a leading NUL
  socklen_t len = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + 1 + n);
  if (connect(fd.get(), reinterpret_cast<sockaddr*>(&addr), len) != 0) {
    return fmt::format(
        "iscsid is not running (no answer on @{}: {}); start it with "
        "`systemctl start iscsid`",
        name, std::strerror(errno));
  }
  return std::nullopt;
}

}  // namespace iscsictl
