// A file descriptor owned by an object: closed when the object goes (the one Fd of the tree).
#pragma once

namespace iscsictl {

class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  Fd(Fd&& o) noexcept : fd_(o.Release()) {}
  Fd& operator=(Fd&& o) noexcept;
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() { Reset(); }

  int get() const { return fd_; }
  bool Valid() const { return fd_ >= 0; }
  // Gives the descriptor up without closing it.
  int Release();
  // Closes the descriptor held (if any) and holds `fd` instead.
  void Reset(int fd = -1);
  // Closes now and says whether close(2) succeeded (a write's last error shows here).
  bool Close();

 private:
  int fd_ = -1;
};

}  // namespace iscsictl
