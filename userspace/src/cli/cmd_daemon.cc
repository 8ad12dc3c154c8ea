#include "cli/cmd_daemon.h"

#include "cli/test_seams.h"

namespace iscsictl {

DaemonCommand::DaemonCommand(CLI::App& app, const std::string& config_path)
    : config_path_(config_path) {
  cmd_ = app.add_subcommand(
      "daemon", "Keep the host converged: react to NIC, iSCSI and config events (systemd unit)");
  cmd_->add_option("--removed-nic-grace", grace_s_,
                   "Seconds to keep a removed NIC's sessions before logging them out "
                   "(0: at once; e.g. the replacement_timeout, to let the NIC come back)")
      ->capture_default_str()
      ->check(CLI::Range(0, 86400));
  cmd_->add_option("--debounce-ms", quiet_ms_, "Quiet time after the last event")
      ->capture_default_str()
      ->check(CLI::Range(10, 60000));
  cmd_->add_option("--debounce-cap-ms", cap_ms_, "Longest wait after the first event of a burst")
      ->capture_default_str()
      ->check(CLI::Range(10, 600000));
  cmd_->add_flag("--quiet-events", quiet_events_, "Do not log every uevent and netlink message");
  cmd_->add_option("--textfile", options_.textfile,
                   "Write the status in Prometheus text format to this file after every pass, "
                   "atomically (node_exporter's textfile collector: "
                   "/var/lib/prometheus/node-exporter/iscsictl.prom)");
  AddTestSeam(cmd_, "--iscsi-root", options_.env.iscsi_root, "open-iscsi database directory");
  cmd_->add_option("-j,--jobs", options_.env.exec.jobs, "Concurrent logins")
      ->capture_default_str()
      ->check(CLI::Range(1, 64));
  cmd_->add_option("--path-wait", path_wait_s_,
                   "Seconds to wait after logins for the new paths in multipath maps (0: no "
                   "wait; default: the config's multipath.path_wait, else 15 with multipathd)")
      ->check(CLI::Range(0, 600));
  AddTestSeam(cmd_, "--lock", options_.env.lock_path, "Lock file");
  AddTestSeam(cmd_, "--iscsiadm", options_.env.exec.iscsiadm, "iscsiadm to run");
}

std::optional<int> DaemonCommand::Run() {
  if (!cmd_->parsed()) return std::nullopt;
  options_.env.config_path = config_path_;
  options_.quiet = std::chrono::milliseconds(quiet_ms_);
  options_.cap = std::chrono::milliseconds(std::max(cap_ms_, quiet_ms_));
  options_.removed_nic_grace = std::chrono::seconds(grace_s_);
  options_.log_events = !quiet_events_;
  if (path_wait_s_ >= 0) {
    options_.env.exec.path_wait_override = std::chrono::seconds(path_wait_s_);
  }
  return RunDaemon(options_);
}

}  // namespace iscsictl
