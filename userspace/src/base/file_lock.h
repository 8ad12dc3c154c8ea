// An exclusive flock(2) on a lock file, held for the object's lifetime. Every iscsictl
// command that changes sessions or records takes /run/lock/iscsictl.lock, so concurrent
// invocations (admins, udev, the daemon) apply one after the other.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "base/fd.h"

namespace iscsictl {

inline constexpr const char* kDefaultLockPath = "/run/lock/iscsictl.lock";

class FileLock {
 public:
  // Waits up to `wait` for the lock. nullopt and `error` set on failure or timeout.
  static std::optional<FileLock> Acquire(const std::string& path, std::chrono::milliseconds wait,
                                         std::string& error);

 private:
  explicit FileLock(Fd fd) : fd_(std::move(fd)) {}
  Fd fd_;  // closing it releases the lock
};

}  // namespace iscsictl
