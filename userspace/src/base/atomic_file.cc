#include "base/atomic_file.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "base/fd.h"

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

std::optional<std::string> WriteFileAtomic(const std::string& path, const std::string& content,
                                           unsigned mode) {
  std::string dir = DirName(path);
  std::string tmp = fmt::format("{}.ictl-tmp.{}", path, getpid());
  Fd fd(open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode));
  if (!fd.Valid()) {
    return Why("cannot create", tmp);
  }
  std::optional<std::string> error;
  if (fchmod(fd.get(), mode) != 0) {
    error = Why("cannot chmod", tmp);
  }
  size_t done = 0;
  while (!error && done < content.size()) {
    ssize_t n = write(fd.get(), content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      error = Why("cannot write", tmp);
      break;
    }
    done += static_cast<size_t>(n);
  }
  if (!error && fsync(fd.get()) != 0) {
    error = Why("cannot sync", tmp);
  }
  if (!fd.Close() && !error) {
    error = Why("cannot close", tmp);
  }
  if (!error && rename(tmp.c_str(), path.c_str()) != 0) {
    error = Why("cannot rename into place", path);
  }
  if (error) {
    unlink(tmp.c_str());
    return error;
  }
  Fd dfd(open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dfd.Valid()) {
    fsync(dfd.get());
  }
  return std::nullopt;
}

}  // namespace iscsictl
