#include "base/file_lock.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>

namespace iscsictl {
namespace {

// The lock's directory: created 0700 if missing, then checked on the open descriptor.
std::optional<std::string> OpenLockDir(const std::string& dir, Fd& out) {
  if (mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
    return fmt::format("cannot create lock directory {}: {}", dir, std::strerror(errno));
  }
  out.Reset(open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  struct stat st {};
  if (!out.Valid() || fstat(out.get(), &st) != 0) {
    return fmt::format("cannot open lock directory {}: {}", dir, std::strerror(errno));
  }
  if (st.st_uid != geteuid() || (st.st_mode & 022) != 0) {
    return fmt::format(
        "refusing lock directory {}: owned by uid {} with mode {:04o} (it must be ours and "
        "writable by nobody else)",
        dir, st.st_uid, st.st_mode & 07777);
  }
  return std::nullopt;
}

// Waits for an exclusive flock on `fd` until `deadline`.
std::optional<std::string> Lock(int fd, const std::string& path,
                                std::chrono::steady_clock::time_point deadline,
                                std::chrono::milliseconds wait) {
  while (flock(fd, LOCK_EX | LOCK_NB) != 0) {
    if (errno != EWOULDBLOCK && errno != EINTR) {
      return fmt::format("cannot lock {}: {}", path, std::strerror(errno));
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      return fmt::format("{} is held by another iscsictl (waited {} s)", path,
                         std::chrono::duration_cast<std::chrono::seconds>(wait).count());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return std::nullopt;
}

// The older release's lock file, if it exists as a regular file of ours; never created.
Fd OpenLegacy(const std::string& legacy) {
  if (legacy.empty()) {
    return Fd();
  }
  Fd fd(open(legacy.c_str(), O_RDWR | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK));
  struct stat st {};
  if (!fd.Valid() || fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode) ||
      st.st_uid != geteuid() || (st.st_mode & 022) != 0) {
    return Fd();
  }
  return fd;
}

}  // namespace

std::optional<FileLock> FileLock::Acquire(const std::string& path, std::chrono::milliseconds wait,
                                          std::string& error) {
  return Acquire(path, path == kDefaultLockPath ? kLegacyLockPath : "", wait, error);
}

std::optional<FileLock> FileLock::Acquire(const std::string& path, const std::string& legacy,
                                          std::chrono::milliseconds wait, std::string& error) {
  size_t slash = path.rfind('/');
  std::string dir = slash == std::string::npos ? "." : path.substr(0, slash == 0 ? 1 : slash);
  std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
  Fd dfd;
  if (auto e = OpenLockDir(dir, dfd)) {
    error = *e;
    return std::nullopt;
  }
  Fd fd(openat(dfd.get(), name.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600));
  struct stat st {};
  if (!fd.Valid() || fstat(fd.get(), &st) != 0) {
    error = fmt::format("cannot open lock {}: {}", path, std::strerror(errno));
    return std::nullopt;
  }
  if (!S_ISREG(st.st_mode)) {
    error = fmt::format("refusing lock {}: not a regular file", path);
    return std::nullopt;
  }
  auto deadline = std::chrono::steady_clock::now() + wait;
  if (auto e = Lock(fd.get(), path, deadline, wait)) {
    error = *e;
    return std::nullopt;
  }
  Fd old = OpenLegacy(legacy);
  if (old.Valid()) {
    if (auto e = Lock(old.get(), legacy, deadline, wait)) {
      error = *e;
      return std::nullopt;
    }
  }
  return FileLock(std::move(fd), std::move(old));
}

}  // namespace iscsictl
