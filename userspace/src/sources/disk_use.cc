#include "sources/disk_use.h"

#include <fcntl.h>
#include <fmt/format.h>

#include <cerrno>
#include <sstream>

#include "base/dir.h"
#include "base/fd.h"

namespace iscsictl {
namespace {

// "maj:min" -> mount point, from mountinfo.
std::map<std::string, std::string> Mounts(const Dir& root) {
  std::map<std::string, std::string> mounts;
  std::istringstream f(root.ReadFile("proc/self/mountinfo", 64 << 20).value_or(""));
  std::string line;
  while (std::getline(f, line)) {
    std::istringstream in(line);
    std::string id, parent, devno, fsroot, point;
    if (in >> id >> parent >> devno >> fsroot >> point) {
      mounts.emplace(devno, point);
    }
  }
  return mounts;
}

// The block device and its partitions: name -> "maj:min".
std::map<std::string, std::string> DevNumbers(const Dir& root, const std::string& block) {
  std::map<std::string, std::string> out;
  Dir dir = Dir::Open(root, "sys/block/" + block);
  out[block] = dir.Read("dev").value_or("");
  for (const std::string& name : dir.List()) {
    if (name.rfind(block, 0) == 0 && name != block) {
      out[name] = dir.Read(name + "/dev").value_or("");
    }
  }
  return out;
}

// Whether the disk is mounted (itself or a partition); why.
std::optional<std::string> Mounted(const Dir& root, const std::string& block,
                                   const std::map<std::string, std::string>& mounts) {
  for (const auto& [name, devno] : DevNumbers(root, block)) {
    if (auto it = mounts.find(devno); !devno.empty() && it != mounts.end()) {
      return fmt::format("{} mounted on {}", name, it->second);
    }
  }
  return std::nullopt;
}

// An exclusive open fails with EBUSY while anything claims the disk.
bool OpenExclusively(const Dir& root, const std::string& block) {
  Fd fd(::openat(root.Descriptor(), ("dev/" + block).c_str(),
                 O_RDONLY | O_EXCL | O_NONBLOCK | O_CLOEXEC));
  return !fd.Valid() && errno == EBUSY;
}

}  // namespace

std::map<std::string, DiskUse> ReadDiskUse(const std::vector<LiveSession>& sessions,
                                           const std::string& root) {
  std::map<std::string, DiskUse> out;
  Dir rootdir = Dir::OpenRoot(root);
  std::optional<std::map<std::string, std::string>> mounts;  // read once, when needed
  for (const LiveSession& s : sessions) {
    for (const LiveDisk& d : s.disks) {
      if (d.block.empty() || out.count(d.block) != 0) {
        continue;
      }
      DiskUse use;
      use.wwid = rootdir.Read("sys/block/" + d.block + "/device/wwid").value_or("");
      use.wwid.erase(use.wwid.find_last_not_of(' ') + 1);  // t10 WWIDs are padded
      std::optional<std::string> why;
      if (!d.holders.empty()) {
        why = "held by " + d.holders.front();
      }
      if (!why) {
        if (!mounts) {
          mounts = Mounts(rootdir);
        }
        why = Mounted(rootdir, d.block, *mounts);
      }
      if (!why && OpenExclusively(rootdir, d.block)) {
        why = "open exclusively";
      }
      use.in_use = why.has_value();
      use.why = why.value_or("");
      out[d.block] = use;
    }
  }
  return out;
}

}  // namespace iscsictl
