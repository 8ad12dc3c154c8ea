// Syscall-frugal access to a directory tree below a root ("/" on a live system, a recorded
// tree in tests): directories are opened once as O_PATH descriptors, entries listed and
// files read relative to them (one openat/read/close for a sysfs attribute). The one
// directory walker of the tree: sysfs, /proc, /dev and open-iscsi's record database.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/fd.h"

namespace iscsictl {

// A directory, opened O_PATH.
class Dir {
 public:
  Dir() = default;
  // Opens `rel` relative to `parent` (or, with parent invalid, the absolute path `rel`).
  static Dir Open(const Dir& parent, std::string_view rel);
  static Dir OpenRoot(const std::string& root);
  bool Valid() const { return fd_.Valid(); }
  int Descriptor() const { return fd_.get(); }

  // The attribute's text without the trailing newline; nullopt if it does not exist or
  // cannot be read (sysfs returns an error for e.g. a connection's address in recovery).
  // `exists`, when given, says whether the file exists at all.
  std::optional<std::string> Read(std::string_view name, bool* exists = nullptr) const;
  // The file's bytes as they are (binary attributes such as a PCI device's config), up to 4 KiB.
  std::optional<std::string> ReadBytes(std::string_view name) const;
  // A regular file's whole content (up to `max` bytes; nullopt beyond, or if it is not a
  // regular file or cannot be read).
  std::optional<std::string> ReadFile(std::string_view name, size_t max = 1 << 20) const;
  // Whether `rel` is a directory, a regular file (no link is followed).
  bool IsDirectory(std::string_view rel) const;
  bool IsRegularFile(std::string_view rel) const;
  // Whether `rel` exists.
  bool Exists(std::string_view rel) const;
  // Entry names of the subdirectory `rel` ("" for this one), without "." and "..".
  std::vector<std::string> List(std::string_view rel = "") const;
  // Target of the symlink `rel`, or "" if it is not one.
  std::string ReadLink(std::string_view rel) const;

 private:
  Fd fd_;
};

}  // namespace iscsictl
