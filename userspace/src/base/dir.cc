#include "base/dir.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
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

Dir Dir::Open(const Dir& parent, std::string_view rel) {
  Dir d;
  int base = parent.Valid() ? parent.Descriptor() : AT_FDCWD;
  d.fd_ = Fd(::openat(base, Z(rel).c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  return d;
}

Dir Dir::OpenRoot(const std::string& root) {
  return Open(Dir(), root.empty() ? "/" : root);
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

std::optional<std::string> Dir::ReadBytes(std::string_view name) const {
  return Valid() ? ReadAt(Descriptor(), name, nullptr) : std::nullopt;
}

std::optional<std::string> Dir::ReadFile(std::string_view name, size_t max) const {
  if (!Valid()) {
    return std::nullopt;
  }
  Fd f(::openat(Descriptor(), Z(name).c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK));
  struct stat st {};
  if (!f.Valid() || ::fstat(f.get(), &st) != 0 || !S_ISREG(st.st_mode)) {
    return std::nullopt;
  }
  std::string text;
  char buf[16384];
  for (;;) {
    ssize_t n = ::read(f.get(), buf, sizeof buf);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n < 0 || text.size() + static_cast<size_t>(n) > max) {
      return std::nullopt;
    }
    if (n == 0) {
      return text;
    }
    text.append(buf, static_cast<size_t>(n));
  }
}

namespace {

std::optional<mode_t> ModeAt(int dirfd, std::string_view rel) {
  struct stat st {};
  if (::fstatat(dirfd, Z(rel).c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
    return std::nullopt;
  }
  return st.st_mode;
}

}  // namespace

bool Dir::IsDirectory(std::string_view rel) const {
  std::optional<mode_t> m = Valid() ? ModeAt(Descriptor(), rel) : std::nullopt;
  return m && S_ISDIR(*m);
}

bool Dir::IsRegularFile(std::string_view rel) const {
  std::optional<mode_t> m = Valid() ? ModeAt(Descriptor(), rel) : std::nullopt;
  return m && S_ISREG(*m);
}

bool Dir::Exists(std::string_view rel) const {
  return Valid() && ::faccessat(Descriptor(), Z(rel).c_str(), F_OK, 0) == 0;
}

std::optional<std::string> Dir::Read(std::string_view name, bool* exists) const {
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

std::vector<std::string> Dir::List(std::string_view rel) const {
  std::vector<std::string> names;
  if (!Valid()) {
    return names;
  }
  Fd dfd(::openat(Descriptor(), Z(rel).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!dfd.Valid()) {
    return names;
  }
  std::unique_ptr<DIR, DirCloser> dir(::fdopendir(dfd.get()));
  if (!dir) {
    return names;
  }
  dfd.Release();  // the DIR owns it now
  while (const dirent* e = ::readdir(dir.get())) {
    std::string_view n = e->d_name;
    if (n != "." && n != "..") {
      names.emplace_back(n);
    }
  }
  return names;
}

std::string Dir::ReadLink(std::string_view rel) const {
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

}  // namespace iscsictl
