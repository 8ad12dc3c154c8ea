// Writing files below a directory so that readers see the old content or the new, never a
// part, and nothing lands outside that directory: every step is relative to an open
// directory descriptor (openat/mkdirat/renameat), no link is followed below it, temporary
// files are created O_EXCL under unpredictable names, files and directories are fsynced.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/fd.h"

namespace iscsictl {

// A name that stays in its directory: 1..255 bytes, not "." or "..", no '/', NUL or other
// control character (0x00-0x1f, 0x7f).
bool IsSafePathComponent(std::string_view name);

// Opens the directory `components` (each a safe component) below the open directory
// `base`, creating missing ones with `mode` (and fsyncing their parent) when `create`.
// A symlink or non-directory on the way is refused. `shown` names `base` in messages.
// nullopt on success with `out` set; else an error message (ENOENT: `missing` set, if given).
std::optional<std::string> OpenDirsAt(int base, const std::vector<std::string>& components,
                                      bool create, unsigned mode, const std::string& shown,
                                      Fd& out, bool* missing = nullptr);

// Writes `content` as `name` in the directory `dir`: a temporary file created O_EXCL (mode
// `mode`, random name) in `tmpdir` (same file system; may be `dir` itself when readers
// ignore its entries), written, fsynced, renamed over `name`, `dir` fsynced. On failure the
// old file is unchanged and the temporary file removed. `shown` names the target in messages.
std::optional<std::string> WriteFileAt(int tmpdir, int dir, const std::string& name,
                                       const std::string& content, unsigned mode,
                                       const std::string& shown);

// WriteFileAt for a path the admin chose (links in it are followed, like any path given on
// the command line): the temporary file goes in the same directory under a dot name
// (".ictl-tmp.*", which node_exporter's textfile collector, reading *.prom, ignores).
std::optional<std::string> WriteFileAtomic(const std::string& path, const std::string& content,
                                           unsigned mode);

// A fresh unpredictable temporary name: "<prefix><16 hex digits>".
std::string RandomTempName(std::string_view prefix);

// mkdir -p with `mode` for the directories it creates (paths the admin chose, such as
// import's --secrets-dir).
std::optional<std::string> MakeDirs(const std::string& path, unsigned mode);

}  // namespace iscsictl
