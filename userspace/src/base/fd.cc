#include "base/fd.h"

#include <unistd.h>

namespace iscsictl {

Fd& Fd::operator=(Fd&& o) noexcept {
  if (this != &o) {
    Reset(o.Release());
  }
  return *this;
}

int Fd::Release() {
  int fd = fd_;
  fd_ = -1;
  return fd;
}

void Fd::Reset(int fd) {
  if (fd_ >= 0) {
    ::close(fd_);
  }
  fd_ = fd;
}

bool Fd::Close() {
  int fd = Release();
  return fd < 0 || ::close(fd) == 0;
}

}  // namespace iscsictl
