#include "config/secret_file.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "base/atomic_file.h"
#include "base/fd.h"

namespace iscsictl {
namespace {

// Opens `path` and checks the open file (not the name: no race between the two).
std::optional<std::string> OpenChecked(const std::string& path, Fd& fd) {
  fd.Reset(open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK));
  if (fd.get() < 0) {
    return fmt::format("secret file {}: {}", path, std::strerror(errno));
  }
  struct stat st {};
  if (fstat(fd.get(), &st) != 0) {
    return fmt::format("secret file {}: {}", path, std::strerror(errno));
  }
  if (!S_ISREG(st.st_mode)) {
    return fmt::format("secret file {} is not a regular file", path);
  }
  if (st.st_uid != 0 && st.st_uid != geteuid()) {
    return fmt::format("secret file {} is owned by uid {}; it must be owned by root", path,
                       st.st_uid);
  }
  if ((st.st_mode & 077) != 0) {
    return fmt::format(
        "secret file {} is accessible by group or others (mode {:04o}); run chmod 600 {}", path,
        st.st_mode & 07777, path);
  }
  if (st.st_size == 0) {
    return fmt::format("secret file {} is empty", path);
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> CheckSecretFile(const std::string& path) {
  Fd fd;
  return OpenChecked(path, fd);
}

std::optional<std::string> ReadSecretFile(const std::string& path, std::string& why) {
  Fd fd;
  if (auto bad = OpenChecked(path, fd)) {
    why = *bad;
    return std::nullopt;
  }
  std::string secret;
  char buf[512];
  ssize_t n = 0;
  while (secret.size() < 4096 && (n = read(fd.get(), buf, sizeof buf)) > 0) {
    secret.append(buf, static_cast<size_t>(n));
  }
  if (n < 0) {
    why = fmt::format("secret file {}: {}", path, std::strerror(errno));
    return std::nullopt;
  }
  secret = secret.substr(0, secret.find('\n'));
  if (!secret.empty() && secret.back() == '\r') {
    secret.pop_back();
  }
  if (secret.empty()) {
    why = fmt::format("secret file {} has an empty first line", path);
    return std::nullopt;
  }
  // A tab, NUL or other control byte could end or forge a record line: refused (the
  // message never shows the secret).
  for (char c : secret) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) {
      why = fmt::format("secret file {}: the first line holds a control character", path);
      return std::nullopt;
    }
  }
  return secret;
}

std::optional<std::string> WriteSecretFile(const std::string& path, const std::string& secret) {
  size_t slash = path.rfind('/');
  std::string dir = slash == std::string::npos ? "." : path.substr(0, slash == 0 ? 1 : slash);
  if (auto e = MakeDirs(dir, 0700)) {
    return e;
  }
  chmod(dir.c_str(), 0700);
  Fd fd(open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600));
  if (!fd.Valid()) {
    return std::strerror(errno);
  }
  std::string line = secret + "\n";
  if (write(fd.get(), line.data(), line.size()) != static_cast<ssize_t>(line.size()) ||
      !fd.Close()) {
    return std::strerror(errno);
  }
  return std::nullopt;
}

}  // namespace iscsictl
