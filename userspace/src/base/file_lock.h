// An exclusive flock(2) on a lock file, held for the object's lifetime. Every iscsictl
// command that changes sessions or records takes /run/iscsictl/iscsictl.lock, so concurrent
// invocations (admins, udev, the daemon) apply one after the other.
//
// The lock lives in a directory only its owner can write (/run/iscsictl, created 0700, opened
// without following links, refused if another user owns it or may write it), so no other
// user can create, replace or flock the lock file and stall root (issue 14). The release
// before used /run/lock/iscsictl.lock (a world-writable directory): while an older daemon may
// still run during an upgrade, that file is taken too, but only if it already exists as a
// regular file owned by us (what an older iscsictl created, 0600: nobody else can open it);
// it is never created, and a file another user planted there is ignored.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "base/fd.h"

namespace iscsictl {

inline constexpr const char* kDefaultLockPath = "/run/iscsictl/iscsictl.lock";
inline constexpr const char* kLegacyLockPath = "/run/lock/iscsictl.lock";

class FileLock {
 public:
  // Waits up to `wait` for the lock. nullopt and `error` set on failure or timeout. With the
  // default path, the legacy lock is taken too (see above).
  static std::optional<FileLock> Acquire(const std::string& path, std::chrono::milliseconds wait,
                                         std::string& error);
  // Same, with `legacy` ("" for none) in place of kLegacyLockPath.
  static std::optional<FileLock> Acquire(const std::string& path, const std::string& legacy,
                                         std::chrono::milliseconds wait, std::string& error);

 private:
  FileLock(Fd fd, Fd legacy) : fd_(std::move(fd)), legacy_(std::move(legacy)) {}
  Fd fd_;      // closing it releases the lock
  Fd legacy_;  // the older release's lock, when it exists and is ours
};

}  // namespace iscsictl
