#include "daemon/sd_notify.h"

#include <sys/socket.h>
#include <sys/un.h>

#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <string>

#include "base/fd.h"
#include "daemon/daemon_logic.h"

namespace iscsictl {

bool SdNotify(std::string_view state, std::string_view status) {
  const char* env = std::getenv("NOTIFY_SOCKET");
  if (env == nullptr) {
    return true;
  }
  std::optional<NotifyAddress> where = ParseNotifySocket(env);
  if (!where) {
    return false;
  }
  Fd fd(socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  if (!fd.Valid()) {
    return false;
  }
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::memcpy(addr.sun_path, where->path.data(), where->path.size());
  socklen_t len = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + where->path.size() +
                                         (where->abstract ? 0 : 1));
  std::string msg = NotifyMessage(state, status);
  return sendto(fd.get(), msg.data(), msg.size(), MSG_NOSIGNAL, reinterpret_cast<sockaddr*>(&addr),
                len) == static_cast<ssize_t>(msg.size());
}

}  // namespace iscsictl
