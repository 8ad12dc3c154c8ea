#include "sources/disk_use.h"

#include <fcntl.h>
#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <set>
#include <sstream>

#include "base/dir.h"

namespace iscsictl {
namespace {

bool AllDigits(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
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

std::string Wwid(const Dir& root, const std::string& block) {
  std::string wwid = root.Read("sys/block/" + block + "/device/wwid").value_or("");
  wwid.erase(wwid.find_last_not_of(' ') + 1);  // t10 WWIDs are padded
  return wwid;
}

// The disks (and partitions) whose use is asked: by name and by "maj:min", each to its
// disk; the first reason found for each disk.
class UseScan {
 public:
  explicit UseScan(const Dir& root) : root_(root) {}

  void Add(const std::string& disk) {
    for (const auto& [name, devno] : DevNumbers(root_, disk)) {
      by_name_[name] = disk;
      if (!devno.empty()) {
        by_devno_[devno] = {disk, name};
      }
    }
  }
  bool Empty() const { return by_name_.empty(); }

  // Mounts of every mount namespace a process is in (each namespace read once), swaps,
  // and opens for writing.
  void Run() {
    std::set<std::string> namespaces;
    Mounts("proc/self/mountinfo");
    namespaces.insert(root_.ReadLink("proc/self/ns/mnt"));
    Swaps();
    for (const std::string& pid : root_.List("proc")) {
      if (!AllDigits(pid)) {
        continue;
      }
      Dir proc = Dir::Open(root_, "proc/" + pid);
      std::string ns = proc.ReadLink("ns/mnt");
      if (!ns.empty() && namespaces.insert(ns).second) {
        Mounts("proc/" + pid + "/mountinfo");
      }
      Writers(proc, pid);
    }
  }

  std::optional<std::string> Why(const std::string& disk) const {
    auto it = why_.find(disk);
    return it == why_.end() ? std::nullopt : std::optional<std::string>(it->second);
  }

 private:
  void Note(const std::string& disk, std::string why) { why_.emplace(disk, std::move(why)); }

  // mountinfo: "id parent maj:min root point opts... - fstype source super-opts".
  void Mounts(const std::string& path) {
    std::istringstream f(root_.ReadFile(path, 64 << 20).value_or(""));
    std::string line;
    while (std::getline(f, line)) {
      std::istringstream in(line);
      std::string id, parent, devno, fsroot, point, word;
      if (!(in >> id >> parent >> devno >> fsroot >> point)) {
        continue;
      }
      std::string source;
      while (in >> word) {
        if (word == "-") {
          in >> word >> source;  // fstype, source
          break;
        }
      }
      if (auto it = by_devno_.find(devno); it != by_devno_.end()) {
        Note(it->second.first, fmt::format("{} mounted on {}", it->second.second, point));
      } else if (source.rfind("/dev/", 0) == 0) {
        if (auto n = by_name_.find(source.substr(5)); n != by_name_.end()) {
          Note(n->second, fmt::format("{} mounted on {}", n->first, point));
        }
      }
    }
  }

  void Swaps() {
    std::istringstream f(root_.ReadFile("proc/swaps").value_or(""));
    std::string line;
    while (std::getline(f, line)) {
      std::string dev = line.substr(0, line.find_first_of(" \t"));
      if (dev.rfind("/dev/", 0) == 0) {
        if (auto n = by_name_.find(dev.substr(5)); n != by_name_.end()) {
          Note(n->second, fmt::format("{} is swap", n->first));
        }
      }
    }
  }

  // The process's open files that are one of the disks or partitions by their /dev name (a
  // readlink: nothing is stat'ed, which could hang on a dead NFS server) and open for
  // writing (fdinfo flags).
  void Writers(const Dir& proc, const std::string& pid) {
    Dir fds = Dir::Open(proc, "fd");
    if (!fds.Valid()) {
      return;
    }
    for (const std::string& fd : fds.List()) {
      std::string target = fds.ReadLink(fd);
      if (target.rfind("/dev/", 0) != 0) {
        continue;
      }
      auto n = by_name_.find(target.substr(5));
      if (n == by_name_.end() || why_.count(n->second) != 0 || !OpenForWriting(proc, fd)) {
        continue;
      }
      std::string comm = proc.Read("comm").value_or("?");
      Note(n->second, fmt::format("{} open for writing by {} ({})", n->first, pid, comm));
    }
  }

  static bool OpenForWriting(const Dir& proc, const std::string& fd) {
    std::istringstream in(proc.ReadFile("fdinfo/" + fd).value_or(""));
    std::string key, value;
    while (in >> key >> value) {
      if (key == "flags:") {
        return (std::strtoul(value.c_str(), nullptr, 8) & O_ACCMODE) != O_RDONLY;
      }
    }
    return false;
  }

  const Dir& root_;
  std::map<std::string, std::string> by_name_;  // "sdb1" -> "sdb"
  std::map<std::string, std::pair<std::string, std::string>> by_devno_;  // -> (disk, name)
  std::map<std::string, std::string> why_;
};

std::vector<std::string> Blocks(const std::vector<LiveSession>& sessions) {
  std::vector<std::string> out;
  for (const LiveSession& s : sessions) {
    for (const LiveDisk& d : s.disks) {
      if (!d.block.empty() && std::find(out.begin(), out.end(), d.block) == out.end()) {
        out.push_back(d.block);
      }
    }
  }
  return out;
}

}  // namespace

std::map<std::string, DiskUse> ReadDiskUse(const std::vector<LiveSession>& sessions,
                                           const std::string& root) {
  std::map<std::string, DiskUse> out;
  Dir rootdir = Dir::OpenRoot(root);
  UseScan scan(rootdir);
  for (const LiveSession& s : sessions) {
    for (const LiveDisk& d : s.disks) {
      if (d.block.empty() || out.count(d.block) != 0) {
        continue;
      }
      DiskUse& use = out[d.block];
      use.wwid = Wwid(rootdir, d.block);
      if (!d.holders.empty()) {
        use.in_use = true;
        use.why = "held by " + d.holders.front();
      } else {
        scan.Add(d.block);
      }
    }
  }
  if (!scan.Empty()) {
    scan.Run();
    for (auto& [block, use] : out) {
      if (std::optional<std::string> why = use.in_use ? std::nullopt : scan.Why(block)) {
        use.in_use = true;
        use.why = *why;
      }
    }
  }
  return out;
}

std::map<std::string, DiskUse> ReadDiskWwids(const std::vector<LiveSession>& sessions,
                                             const std::string& root) {
  std::map<std::string, DiskUse> out;
  Dir rootdir = Dir::OpenRoot(root);
  for (const std::string& block : Blocks(sessions)) {
    out[block].wwid = Wwid(rootdir, block);
  }
  return out;
}

}  // namespace iscsictl
