#include "sources/module_signing.h"

#include <sys/utsname.h>

#include <fstream>
#include <sstream>

namespace iscsictl {
namespace {

std::string Join(const std::string& root, const std::string& path) {
  return root == "/" ? path : root + path;
}

std::string FirstLine(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}

// The mode in brackets of "none [integrity] confidentiality".
std::string LockdownMode(const std::string& line) {
  size_t open = line.find('[');
  size_t close = line.find(']', open);
  if (open == std::string::npos || close == std::string::npos) {
    return "";
  }
  std::string mode = line.substr(open + 1, close - open - 1);
  return mode == "none" ? "" : mode;
}

constexpr std::string_view kSignatureMagic = "~Module signature appended~\n";

}  // namespace

std::string KernelRelease() {
  utsname u{};
  return uname(&u) == 0 ? u.release : "";
}

ModuleSigning ReadModuleSigning(const std::string& root, const std::string& release) {
  ModuleSigning s;
  s.sig_enforce = FirstLine(Join(root, "/sys/module/module/parameters/sig_enforce")) == "Y";
  s.lockdown = LockdownMode(FirstLine(Join(root, "/sys/kernel/security/lockdown")));
  // modules.dep: "updates/dkms/iscsi_iface_attrs.ko: dep..." (relative to the release's
  // directory), the file modprobe would load.
  std::string dir = "/lib/modules/" + release + "/";
  std::ifstream dep(Join(root, dir + "modules.dep"));
  std::string line;
  while (std::getline(dep, line)) {
    std::string path = line.substr(0, line.find(':'));
    size_t slash = path.rfind('/');
    std::string base = path.substr(slash == std::string::npos ? 0 : slash + 1);
    if (base.rfind("iscsi_iface_attrs.ko", 0) != 0) {
      continue;
    }
    s.file = path.front() == '/' ? path : dir + path;
    break;
  }
  if (s.file.empty() || !s.file.ends_with(".ko")) {  // none, or compressed
    return s;
  }
  std::ifstream ko(Join(root, s.file), std::ios::binary | std::ios::ate);
  if (!ko) {
    return s;
  }
  std::streamoff size = ko.tellg();
  if (size < static_cast<std::streamoff>(kSignatureMagic.size())) {
    s.file_signed = false;
    return s;
  }
  std::string tail(kSignatureMagic.size(), '\0');
  ko.seekg(size - static_cast<std::streamoff>(tail.size()));
  ko.read(tail.data(), static_cast<std::streamsize>(tail.size()));
  if (ko) {
    s.file_signed = tail == kSignatureMagic;
  }
  return s;
}

}  // namespace iscsictl
