// `iscsictl status [--json | --format text|json|prometheus | --check]` (also spelled `iscsictl -m session -i`, as in the original
// request) and `iscsictl nics [--json]`.
#pragma once

#include <CLI/CLI.hpp>
#include <iosfwd>
#include <optional>
#include <string>

#include "model/live_state.h"

namespace iscsictl {

// Registers the commands on `app`; `config_path` is the -c value, read after parsing.
// Construct before app.parse() and keep it alive (CLI11 writes into its members).
class StatusCommands {
 public:
  StatusCommands(CLI::App& app, const std::string& config_path);
  StatusCommands(const StatusCommands&) = delete;
  StatusCommands& operator=(const StatusCommands&) = delete;

  // After parsing: the exit status if one of these commands was given, else nullopt.
  std::optional<int> Run(std::ostream& out, std::ostream& err);
  // The top-level -m value ("session", "node" or "").
  const std::string& mode() const { return mode_; }

 private:
  int RunStatus(std::ostream& out, std::ostream& err);
  int RunNics(std::ostream& out, std::ostream& err);
  std::optional<LiveState> ReadLive(std::ostream& err);

  CLI::App& app_;
  const std::string& config_path_;
  CLI::App* status_ = nullptr;
  CLI::App* nics_ = nullptr;
  std::string mode_;       // -m
  bool by_iface_ = false;  // -i
  bool json_ = false;
  bool check_ = false;  // --check: monitoring-plugin exits
  std::string format_;  // --format of status: "text", "json", "prometheus" ("": text)
  bool no_config_ = false;
  bool udev_ = false;
  bool sysfs_ = false;    // --sysfs (hidden): never netlink
  bool netlink_ = false;  // --netlink (hidden): netlink or fail
  std::string root_ = "/";
};

}  // namespace iscsictl
