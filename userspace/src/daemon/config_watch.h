// inotify on the config file's directory: catches in-place writes (IN_CLOSE_WRITE) and
// write-temp-and-rename (IN_MOVED_TO), creation and deletion, of that one name.
#pragma once

#include <memory>
#include <string>

#include "base/fd.h"

namespace iscsictl {

class ConfigWatch {
 public:
  static std::unique_ptr<ConfigWatch> Open(const std::string& config_path, std::string& error);
  int fd() const { return fd_.get(); }
  // Reads the queued inotify events; true if one of them concerns the config file.
  bool Drain();

 private:
  ConfigWatch(Fd fd, std::string path) : fd_(std::move(fd)), path_(std::move(path)) {}
  Fd fd_;
  std::string path_;
};

}  // namespace iscsictl
