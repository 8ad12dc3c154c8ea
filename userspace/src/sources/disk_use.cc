#include "sources/disk_use.h"

#include <dirent.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <sstream>

namespace iscsictl {
namespace {

std::string ReadLine(const std::string& path) {
  std::ifstream f(path);
  std::string line;
  std::getline(f, line);
  while (!line.empty() && (line.back() == ' ' || line.back() == '\n')) {
    line.pop_back();
  }
  return line;
}

// "maj:min" -> mount point, from mountinfo.
std::map<std::string, std::string> Mounts(const std::string& root) {
  std::map<std::string, std::string> mounts;
  std::ifstream f(root + "/proc/self/mountinfo");
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
std::map<std::string, std::string> DevNumbers(const std::string& root, const std::string& block) {
  std::map<std::string, std::string> out;
  std::string dir = root + "/sys/block/" + block;
  out[block] = ReadLine(dir + "/dev");
  if (DIR* d = opendir(dir.c_str())) {
    while (dirent* e = readdir(d)) {
      std::string name = e->d_name;
      if (name.rfind(block, 0) == 0 && name != block) {
        out[name] = ReadLine(dir + "/" + name + "/dev");
      }
    }
    closedir(d);
  }
  return out;
}

}  // namespace

std::map<std::string, DiskUse> ReadDiskUse(const std::vector<LiveSession>& sessions,
                                           const std::string& root) {
  std::map<std::string, DiskUse> out;
  std::map<std::string, std::string> mounts;
  bool mounts_read = false;
  for (const LiveSession& s : sessions) {
    for (const LiveDisk& d : s.disks) {
      if (d.block.empty() || out.count(d.block) != 0) {
        continue;
      }
      DiskUse use;
      use.wwid = ReadLine(root + "/sys/block/" + d.block + "/device/wwid");
      if (!d.holders.empty()) {
        use.in_use = true;
        use.why = "held by " + d.holders.front();
      }
      if (!use.in_use) {
        if (!mounts_read) {
          mounts = Mounts(root);
          mounts_read = true;
        }
        for (const auto& [name, devno] : DevNumbers(root, d.block)) {
          if (auto it = mounts.find(devno); !devno.empty() && it != mounts.end()) {
            use.in_use = true;
            use.why = fmt::format("{} mounted on {}", name, it->second);
            break;
          }
        }
      }
      if (!use.in_use) {
        // An exclusive open fails with EBUSY while anything claims the disk.
        std::string dev = root + "/dev/" + d.block;
        int fd = open(dev.c_str(), O_RDONLY | O_EXCL | O_NONBLOCK | O_CLOEXEC);
        if (fd >= 0) {
          close(fd);
        } else if (errno == EBUSY) {
          use.in_use = true;
          use.why = "open exclusively";
        }
      }
      out[d.block] = use;
    }
  }
  return out;
}

}  // namespace iscsictl
