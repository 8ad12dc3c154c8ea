#include "base/atomic_file.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace iscsictl {
namespace {

std::string Why(const std::string& what, const std::string& path) {
  return fmt::format("{} {}: {}", what, path, std::strerror(errno));
}

std::string DirName(const std::string& path) {
  size_t slash = path.rfind('/');
  if (slash == std::string::npos) {
    return ".";
  }
  return slash == 0 ? "/" : path.substr(0, slash);
}

}  // namespace

bool IsSafePathComponent(std::string_view name) {
  if (name.empty() || name.size() > 255 || name == "." || name == "..") {
    return false;
  }
  return std::none_of(name.begin(), name.end(), [](char c) {
    unsigned char u = static_cast<unsigned char>(c);
    return u == '/' || u < 0x20 || u == 0x7f;
  });
}

std::string RandomTempName(std::string_view prefix) {
  unsigned char bytes[8] = {};
  size_t got = 0;
  while (got < sizeof bytes) {
    ssize_t n = getrandom(bytes + got, sizeof bytes - got, 0);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      break;  // no entropy source: O_EXCL still refuses an existing file
    }
    got += static_cast<size_t>(n);
  }
  std::string name(prefix);
  for (unsigned char b : bytes) {
    name += fmt::format("{:02x}", b);
  }
  if (got < sizeof bytes) {
    name += fmt::format("{}", getpid());
  }
  return name;
}

std::optional<std::string> OpenDirsAt(int base, const std::vector<std::string>& components,
                                      bool create, unsigned mode, const std::string& shown,
                                      Fd& out, bool* missing) {
  if (missing != nullptr) {
    *missing = false;
  }
  Fd cur(fcntl(base, F_DUPFD_CLOEXEC, 0));
  if (!cur.Valid()) {
    return Why("cannot open", shown);
  }
  std::string where = shown;
  for (const std::string& c : components) {
    if (!IsSafePathComponent(c)) {
      return fmt::format("refusing a path component that leaves {} (\"..\", '/' or a control "
                         "character)",
                         where);
    }
    where += "/" + c;
    bool made = false;
    if (create) {
      if (mkdirat(cur.get(), c.c_str(), mode) == 0) {
        made = true;
      } else if (errno != EEXIST) {
        return Why("cannot create directory", where);
      }
    }
    Fd next(openat(cur.get(), c.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!next.Valid()) {
      if (errno == ENOENT && missing != nullptr) {
        *missing = true;
      }
      if (errno == ELOOP || errno == ENOTDIR) {
        return fmt::format("refusing {}: not a directory (a symlink or a file)", where);
      }
      return Why("cannot open directory", where);
    }
    if (made) {
      fsync(cur.get());
    }
    cur = std::move(next);
  }
  out = std::move(cur);
  return std::nullopt;
}

std::optional<std::string> WriteFileAtomic(const std::string& path, const std::string& content,
                                           unsigned mode) {
  size_t slash = path.rfind('/');
  std::string dir = slash == std::string::npos ? "." : (slash == 0 ? "/" : path.substr(0, slash));
  std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
  Fd d(open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!d.Valid()) {
    return Why("cannot open the directory of", path);
  }
  return WriteFileAt(d.get(), d.get(), name, content, mode, path);
}

std::optional<std::string> WriteFileAt(int tmpdir, int dir, const std::string& name,
                                       const std::string& content, unsigned mode,
                                       const std::string& shown) {
  if (!IsSafePathComponent(name)) {
    return fmt::format("refusing to write {}: the name leaves its directory", shown);
  }
  std::string tmp;
  Fd fd;
  for (int attempt = 0; attempt < 8 && !fd.Valid(); ++attempt) {
    tmp = RandomTempName(".ictl-tmp.");
    fd.Reset(openat(tmpdir, tmp.c_str(),
                    O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode));
    if (!fd.Valid() && errno != EEXIST) {
      break;
    }
  }
  if (!fd.Valid()) {
    return Why("cannot create a temporary file for", shown);
  }
  std::optional<std::string> error;
  if (fchmod(fd.get(), mode) != 0) {
    error = Why("cannot chmod the temporary file of", shown);
  }
  size_t done = 0;
  while (!error && done < content.size()) {
    ssize_t n = write(fd.get(), content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      error = Why("cannot write", shown);
      break;
    }
    done += static_cast<size_t>(n);
  }
  if (!error && fsync(fd.get()) != 0) {
    error = Why("cannot sync", shown);
  }
  if (!fd.Close() && !error) {
    error = Why("cannot close", shown);
  }
  if (!error && renameat(tmpdir, tmp.c_str(), dir, name.c_str()) != 0) {
    error = Why("cannot rename into place", shown);
  }
  if (error) {
    unlinkat(tmpdir, tmp.c_str(), 0);
    return error;
  }
  fsync(dir);
  return std::nullopt;
}

std::optional<std::string> MakeDirs(const std::string& path, unsigned mode) {
  if (path.empty()) {
    return std::nullopt;
  }
  struct stat st {};
  if (stat(path.c_str(), &st) == 0) {
    if (!S_ISDIR(st.st_mode)) {
      return fmt::format("{}: not a directory", path);
    }
    return std::nullopt;
  }
  std::string parent = DirName(path);
  if (parent != path) {
    if (auto e = MakeDirs(parent, mode)) {
      return e;
    }
  }
  if (mkdir(path.c_str(), mode) != 0 && errno != EEXIST) {
    return Why("cannot create directory", path);
  }
  return std::nullopt;
}

}  // namespace iscsictl
