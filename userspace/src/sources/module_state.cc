#include "sources/module_state.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

#include "base/fd.h"

namespace iscsictl {
namespace {

// The refusal's own words (any module name before them: the test build's differs).
constexpr std::string_view kRefusal =
    ": layout check failed: scsi_transport_iscsi's private struct iscsi_internal";

// The kernel log below `root`: /dev/kmsg gives one record per read (and EAGAIN at the end,
// opened non-blocking), of which only one naming the refusal is kept; a recorded tree's
// regular file is read whole.
std::string ReadRefusalLines(const Dir& root) {
  if (root.IsRegularFile("dev/kmsg")) {
    return root.ReadFile("dev/kmsg").value_or("");
  }
  Fd f(::openat(root.Descriptor(), "dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY));
  if (!f.Valid()) {
    return "";  // no such file, or dmesg is restricted for this user
  }
  std::string found;
  char rec[8192];
  for (int records = 0; records < 100000; ++records) {
    ssize_t n = ::read(f.get(), rec, sizeof rec - 1);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n < 0 && errno == EPIPE) {
      continue;  // a record overwritten while reading: the next one follows
    }
    if (n <= 0) {
      break;  // EAGAIN: the end of the log; 0: the end of a regular file
    }
    std::string_view text(rec, static_cast<size_t>(n));
    if (text.find(kRefusal) != std::string_view::npos) {
      found.assign(text);
    }
  }
  return found;
}

}  // namespace

bool KernelLogHasLayoutRefusal(std::string_view log) {
  return log.find(kRefusal) != std::string_view::npos;
}

std::string ModuleUnavailableReason(const Dir& root) {
  if (!root.Valid() || root.Exists("sys/module/iscsi_iface_attrs")) {
    return "";
  }
  if (KernelLogHasLayoutRefusal(ReadRefusalLines(root))) {
    return "refused to load: layout check failed (kernel log)";
  }
  return "not loaded";
}

}  // namespace iscsictl
