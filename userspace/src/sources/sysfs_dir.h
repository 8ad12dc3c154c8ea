// Minimal, syscall-frugal access to a sysfs tree below a root directory ("/" on a
// live system, a recorded fixture tree in tests): directories are opened once as
// O_PATH descriptors and attributes read relative to them (one openat/read/close each).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/fd.h"

namespace iscsictl {

// A directory of the tree, opened O_PATH.
class SysfsDir {
 public:
  SysfsDir() = default;
  // Opens `rel` relative to `parent` (or, with parent invalid, the absolute path `rel`).
  static SysfsDir Open(const SysfsDir& parent, std::string_view rel);
  static SysfsDir OpenRoot(const std::string& root);
  bool Valid() const { return fd_.Valid(); }
  int Descriptor() const { return fd_.get(); }

  // The attribute's text without the trailing newline; nullopt if it does not exist or
  // cannot be read (sysfs returns an error for e.g. a connection's address in recovery).
  // `exists`, when given, says whether the file exists at all.
  std::optional<std::string> Read(std::string_view name, bool* exists = nullptr) const;
  // The file's bytes as they are (binary attributes such as a PCI device's config), up to 4 KiB.
  std::optional<std::string> ReadBytes(std::string_view name) const;
  // Whether `rel` exists.
  bool Exists(std::string_view rel) const;
  // Entry names of the subdirectory `rel` ("" for this one), without "." and "..".
  std::vector<std::string> List(std::string_view rel = "") const;
  // Target of the symlink `rel`, or "" if it is not one.
  std::string ReadLink(std::string_view rel) const;

 private:
  Fd fd_;
};

// "0000:03:00.1"-style PCI address.
bool IsPciAddress(std::string_view s);

// The last path component that is a PCI address ("" if none).
std::string LastPciComponent(std::string_view path);

}  // namespace iscsictl
