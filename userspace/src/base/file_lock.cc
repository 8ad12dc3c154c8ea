#include "base/file_lock.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>

namespace iscsictl {

std::optional<FileLock> FileLock::Acquire(const std::string& path, std::chrono::milliseconds wait,
                                          std::string& error) {
  Fd fd(open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600));
  if (!fd.Valid()) {
    error = fmt::format("cannot open lock {}: {}", path, std::strerror(errno));
    return std::nullopt;
  }
  auto deadline = std::chrono::steady_clock::now() + wait;
  while (flock(fd.get(), LOCK_EX | LOCK_NB) != 0) {
    if (errno != EWOULDBLOCK && errno != EINTR) {
      error = fmt::format("cannot lock {}: {}", path, std::strerror(errno));
      return std::nullopt;
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      error = fmt::format("{} is held by another iscsictl (waited {} s)", path,
                          std::chrono::duration_cast<std::chrono::seconds>(wait).count());
      return std::nullopt;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return FileLock(std::move(fd));
}

}  // namespace iscsictl
