// `iscsictl daemon`: the event daemon's command line (daemon.h does the work).
#pragma once

#include <CLI/CLI.hpp>
#include <optional>
#include <string>

#include "daemon/daemon.h"

namespace iscsictl {

class DaemonCommand {
 public:
  DaemonCommand(CLI::App& app, const std::string& config_path);
  DaemonCommand(const DaemonCommand&) = delete;
  DaemonCommand& operator=(const DaemonCommand&) = delete;
  // The exit status if `daemon` was given, else nullopt.
  std::optional<int> Run();

 private:
  const std::string& config_path_;
  CLI::App* cmd_ = nullptr;
  DaemonOptions options_;
  int quiet_ms_ = 300, cap_ms_ = 2000, grace_s_ = 0;
  int path_wait_s_ = -1;  // --path-wait; -1: not given
  bool quiet_events_ = false;
};

}  // namespace iscsictl
