#include "daemon/config_watch.h"

#include <sys/inotify.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "daemon/daemon_logic.h"

namespace iscsictl {

std::unique_ptr<ConfigWatch> ConfigWatch::Open(const std::string& config_path,
                                               std::string& error) {
  Fd fd(inotify_init1(IN_NONBLOCK | IN_CLOEXEC));
  if (!fd.Valid()) {
    error = fmt::format("inotify_init1: {}", std::strerror(errno));
    return nullptr;
  }
  std::string dir = ConfigDir(config_path);
  if (inotify_add_watch(fd.get(), dir.c_str(),
                        IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE | IN_DELETE |
                            IN_ONLYDIR) < 0) {
    error = fmt::format("inotify on {}: {}", dir, std::strerror(errno));
    return nullptr;
  }
  return std::unique_ptr<ConfigWatch>(new ConfigWatch(std::move(fd), config_path));
}

bool ConfigWatch::Drain() {
  bool hit = false;
  alignas(inotify_event) char buf[8192];
  for (;;) {
    ssize_t n = read(fd_.get(), buf, sizeof buf);
    if (n <= 0) break;
    for (char* p = buf; p < buf + n;) {
      auto* ev = reinterpret_cast<inotify_event*>(p);
      if ((ev->mask & IN_Q_OVERFLOW) != 0 ||
          (ev->len > 0 && IsConfigName(ev->name, path_))) {
        hit = true;
      }
      p += sizeof(inotify_event) + ev->len;
    }
  }
  return hit;
}

}  // namespace iscsictl
