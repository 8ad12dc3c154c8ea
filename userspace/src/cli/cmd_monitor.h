// `iscsictl monitor --netlink` (hidden, for tests and the coming daemon): prints the
// iscsi_iface events (docs/netlink.md) as JSON lines; `--dump` prints one dump instead,
// one JSON line per message and a closing line with the dump's size.
#pragma once

#include <CLI/CLI.hpp>
#include <iosfwd>
#include <optional>

namespace iscsictl {

class MonitorCommand {
 public:
  explicit MonitorCommand(CLI::App& app);
  MonitorCommand(const MonitorCommand&) = delete;
  MonitorCommand& operator=(const MonitorCommand&) = delete;

  // After parsing: the exit status if `monitor` was given, else nullopt.
  std::optional<int> Run(std::ostream& out, std::ostream& err);

 private:
  CLI::App* cmd_ = nullptr;
  bool netlink_ = false;
  bool dump_ = false;
  long count_ = 0;  // exit after this many events (0: never)
};

}  // namespace iscsictl
