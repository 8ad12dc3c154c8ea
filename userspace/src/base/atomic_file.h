// Writing a file so that readers see the old content or the new, never a part:
// a temporary file in the same directory, fsync, rename, fsync of the directory.
#pragma once

#include <optional>
#include <string>

namespace iscsictl {

// Writes `content` to `path` with `mode`. Returns an error message naming the path and
// the failing step, or nullopt. On failure the old file (if any) is unchanged and the
// temporary file is removed.
std::optional<std::string> WriteFileAtomic(const std::string& path, const std::string& content,
                                           unsigned mode);

// mkdir -p with `mode` for the directories it creates.
std::optional<std::string> MakeDirs(const std::string& path, unsigned mode);

}  // namespace iscsictl
