#include "sources/sysfs_dir.h"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <charconv>
#include <memory>

namespace iscsictl {

namespace {

// Paths are passed to the kernel NUL-terminated; names are short, so a small copy is fine.
std::string Z(std::string_view s) {
  return std::string(s.empty() ? std::string_view(".") : s);
}

struct DirCloser {
  void operator()(DIR* d) const { ::closedir(d); }
};

}  // namespace

SysfsDir SysfsDir::Open(const SysfsDir& parent, std::string_view rel) {
  SysfsDir d;
  int base = parent.Valid() ? parent.Descriptor() : AT_FDCWD;
  d.fd_ = Fd(::openat(base, Z(rel).c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  return d;
}

SysfsDir SysfsDir::OpenRoot(const std::string& root) {
  return Open(SysfsDir(), root.empty() ? "/" : root);
}

namespace {

// One openat + read + close. `opened` says whether the file could be opened (it exists).
std::optional<std::string> ReadAt(int dirfd, std::string_view name, bool* opened) {
  Fd f(::openat(dirfd, Z(name).c_str(), O_RDONLY | O_CLOEXEC));
  if (opened != nullptr) {
    *opened = f.Valid();
  }
  if (!f.Valid()) {
    return std::nullopt;
  }
  // sysfs attributes are at most a page; one read returns all of it.
  char buf[4096];
  ssize_t n = ::read(f.get(), buf, sizeof buf);
  if (n < 0) {
    return std::nullopt;
  }
  return std::string(buf, static_cast<size_t>(n));
}

}  // namespace

std::optional<std::string> SysfsDir::ReadBytes(std::string_view name) const {
  return Valid() ? ReadAt(Descriptor(), name, nullptr) : std::nullopt;
}

bool SysfsDir::Exists(std::string_view rel) const {
  return Valid() && ::faccessat(Descriptor(), Z(rel).c_str(), F_OK, 0) == 0;
}

std::optional<std::string> SysfsDir::Read(std::string_view name, bool* exists) const {
  if (exists != nullptr) {
    *exists = false;
  }
  if (!Valid()) {
    return std::nullopt;
  }
  std::optional<std::string> s = ReadAt(Descriptor(), name, exists);
  while (s && !s->empty() && (s->back() == '\n' || s->back() == '\0')) {
    s->pop_back();
  }
  return s;
}

std::vector<std::string> SysfsDir::List(std::string_view rel) const {
  std::vector<std::string> names;
  if (!Valid()) {
    return names;
  }
  int dfd = ::openat(Descriptor(), Z(rel).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd < 0) {
    return names;
  }
  std::unique_ptr<DIR, DirCloser> dir(::fdopendir(dfd));
  if (!dir) {
    ::close(dfd);
    return names;
  }
  while (const dirent* e = ::readdir(dir.get())) {
    std::string_view n = e->d_name;
    if (n != "." && n != "..") {
      names.emplace_back(n);
    }
  }
  return names;
}

std::string SysfsDir::ReadLink(std::string_view rel) const {
  if (!Valid()) {
    return "";
  }
  char buf[4096];
  ssize_t n = ::readlinkat(Descriptor(), Z(rel).c_str(), buf, sizeof buf);
  if (n < 0 || static_cast<size_t>(n) >= sizeof buf) {
    return "";
  }
  return {buf, static_cast<size_t>(n)};
}

bool IsPciAddress(std::string_view s) {
  // dddd:bb:dd.f (hex), domain may be longer on some platforms.
  size_t colon2 = s.rfind(':');
  if (s.size() < 12 || colon2 == std::string_view::npos || colon2 + 5 != s.size() ||
      s[colon2 + 3] != '.') {
    return false;
  }
  auto hex = [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  };
  size_t colon1 = s.rfind(':', colon2 - 1);
  if (colon1 == std::string_view::npos || colon1 < 4 || colon2 - colon1 != 3) {
    return false;
  }
  for (size_t i = 0; i < s.size(); ++i) {
    if (i == colon1 || i == colon2 || i == colon2 + 3) {
      continue;
    }
    if (!hex(s[i])) {
      return false;
    }
  }
  return s.back() >= '0' && s.back() <= '7';
}

std::string LastPciComponent(std::string_view path) {
  std::string found;
  size_t pos = 0;
  while (pos <= path.size()) {
    size_t end = path.find('/', pos);
    if (end == std::string_view::npos) {
      end = path.size();
    }
    std::string_view comp = path.substr(pos, end - pos);
    if (IsPciAddress(comp)) {
      found = std::string(comp);
    }
    pos = end + 1;
  }
  return found;
}

}  // namespace iscsictl
