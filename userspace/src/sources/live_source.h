// The one way to read the live iSCSI state (status, plan/apply, the daemon, monitor --dump):
// the module's netlink dump when its family is there (one exchange for the whole map), sysfs
// otherwise (one read per attribute). Both fill the same model from model/live_fields.h.
#pragma once

#include <linux/netlink.h>

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "model/live_state.h"
#include "sources/netlink_socket.h"

namespace iscsictl {

enum class LiveVia {
  kAuto,     // netlink if the module's family answers, else sysfs
  kNetlink,  // netlink or fail
  kSysfs,    // sysfs even if the module is loaded
};

class LiveStateSource {
 public:
  // `root` other than "/": a recorded tree, always read through sysfs.
  explicit LiveStateSource(std::string root = "/", LiveVia via = LiveVia::kAuto)
      : root_(std::move(root)), via_(via) {}

  // Netlink only: `on_message` sees every dump message as it arrives; `stats` counts them.
  void Observe(std::function<void(nlmsghdr*)> on_message, DumpStats* stats) {
    on_message_ = std::move(on_message);
    stats_ = stats;
  }

  // The live state, sorted (SortLiveState). nullopt, with `error` set, only when netlink
  // was required (kNetlink) and could not be read. Its `via`, `fallback` (why a loaded
  // module's dump was not used: the family absent, an error reply, a dump ended early by an
  // error, a malformed message) and `module_note` (sources/module_state.h) say how.
  std::optional<LiveState> Read(std::string* error);
  // What the last Read used: "netlink" or "sysfs" ("" before any).
  std::string_view Used() const { return used_; }

  // Tests: the netlink reader to use (a recorded dump, a failing one), for any root.
  using NetlinkReader = std::function<std::optional<LiveState>(std::string* error)>;
  void SetNetlinkReaderForTest(NetlinkReader reader) { netlink_reader_ = std::move(reader); }

 private:
  std::string root_;
  LiveVia via_;
  std::function<void(nlmsghdr*)> on_message_;
  DumpStats* stats_ = nullptr;
  std::string_view used_;
  NetlinkReader netlink_reader_;
};

}  // namespace iscsictl
