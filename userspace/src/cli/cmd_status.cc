#include "cli/cmd_status.h"

#include "cli/test_seams.h"

#include <filesystem>
#include <map>
#include <memory>
#include <ostream>
#include <vector>

#include "base/exit_status.h"
#include "config/config_load.h"
#include "plan/status_report.h"
#include "plan/volumes.h"
#include "report/status_json.h"
#include "report/status_prometheus.h"
#include "report/status_text.h"
#include "report/volumes_json.h"
#include "report/volumes_text.h"
#include "sources/disk_use.h"
#include "sources/live_source.h"
#include "sources/multipath_reader.h"
#include "sources/module_signing.h"
#include "sources/nics.h"

namespace iscsictl {
namespace {

std::vector<NicInfo> ReadNicsWarning(const std::string& root, std::ostream& err) {
  std::string warning;
  std::vector<NicInfo> nics = ReadNics(root, &warning);
  if (!warning.empty()) {
    err << "iscsictl: " << warning << "\n";
  }
  return nics;
}

}  // namespace

// Netlink when the module offers it (one dump), else sysfs; --sysfs / --netlink force one.
std::optional<LiveState> StatusCommands::ReadLive(std::ostream& err) {
  LiveVia via = netlink_ ? LiveVia::kNetlink : (sysfs_ || udev_) ? LiveVia::kSysfs : LiveVia::kAuto;
  LiveStateSource source(root_, via);
  std::string error;
  std::optional<LiveState> live = source.Read(&error);
  if (!live) {
    err << "iscsictl: " << error << "\n";
  }
  return live;
}

StatusCommands::StatusCommands(CLI::App& app, const std::string& config_path)
    : app_(app), config_path_(config_path) {
  status_ = app.add_subcommand(
      "status", "Show targets, portals and sessions with the NIC, record ID and disks of each");
  status_->add_flag("--json", json_, "JSON output (json-schema/status.schema.json); --format json");
  status_
      ->add_option("--format", format_,
                   "text, json, or prometheus (text exposition format 0.0.4, as node_exporter's "
                   "textfile collector reads it)")
      ->check(CLI::IsMember({"text", "json", "prometheus"}))
      ->excludes("--json");
  status_
      ->add_flag("--check", check_,
                 "Volume health for monitoring: one summary line, a line per problem; exit 0 "
                 "OK, 1 WARNING (degraded), 2 CRITICAL (no active path), 3 UNKNOWN")
      ->excludes("--json")
      ->excludes("--format");
  status_->add_flag("--no-config", no_config_, "Show the live state only, even if a config exists");
  // Kept for scripts: the libudev reader is gone (docs/ARCHITECTURE.md); sysfs reads the same.
  status_->add_flag("--udev", udev_, "Same as --sysfs")->group("");
  AddTestSeam(status_, "--sysfs-root", root_, "Read sysfs below this directory (recorded trees)");
  status_->add_flag("--sysfs", sysfs_, "Read sysfs even if the module's netlink family is there")
      ->group("");
  status_->add_flag("--netlink", netlink_, "Read through the module's netlink family or fail")
      ->group("")
      ->excludes("--sysfs");
  nics_ = app.add_subcommand("nics", "List network interfaces with MAC, state, driver, PCI slot");
  nics_->add_flag("--json", json_, "JSON output");
  AddTestSeam(nics_, "--sysfs-root", root_, "Read sysfs below this directory");
  // The original request's spelling: `iscsiadm -m session -i`.
  app.add_option("-m,--mode", mode_,
                 "open-iscsi style mode: `-m session -i` is `status`; `-m node` takes "
                 "-T/-p/-I with --login, --logout or --reload")
      ->check(CLI::IsMember({"session", "node"}));
  app.add_flag("-i", by_iface_, "With -m session: sessions by interface/MAC (as `status`)");
}

std::optional<int> StatusCommands::Run(std::ostream& out, std::ostream& err) {
  if (status_->parsed() || mode_ == "session") {
    return RunStatus(out, err);
  }
  if (nics_->parsed()) {
    return RunNics(out, err);
  }
  if (by_iface_) {
    err << "iscsictl: -i needs -m session\n";
    return kExitBadInput;
  }
  return std::nullopt;
}

int StatusCommands::RunStatus(std::ostream& out, std::ostream& err) {
  // --check: every failure to read is UNKNOWN (3), whatever the usual status would be.
  auto fail = [&](int status) { return check_ ? kCheckUnknown : status; };
  // An explicit -c must exist; the default path is used only if it is there.
  bool explicit_config = app_.get_option("--config")->count() > 0;
  bool use_config = !no_config_ && (explicit_config || std::filesystem::exists(config_path_));
  LoadedConfig loaded;
  if (use_config) {
    loaded = LoadConfigFile(config_path_);
    if (!loaded.ok()) {
      if (check_) {
        out << "ISCSICTL UNKNOWN - config " << config_path_ << " unreadable\n";
      }
      for (const ConfigError& e : loaded.errors) {
        err << e.ToString() << "\n";
      }
      return fail(kExitBadInput);
    }
    for (const std::string& w : loaded.warnings) {
      err << "iscsictl: " << w << "\n";
    }
  }
  std::vector<NicInfo> nics = ReadNicsWarning(root_, err);
  if (netlink_ && (udev_ || root_ != "/")) {
    err << "iscsictl: --netlink reads the live system through the module only\n";
    return fail(kExitBadInput);
  }
  std::optional<LiveState> live = ReadLive(err);
  if (!live) {
    if (check_) {
      out << "ISCSICTL UNKNOWN - live iSCSI state unreadable\n";
    }
    return fail(kExitFailure);
  }
  StatusReport report =
      BuildStatus(*live, nics, use_config ? &loaded.sessions : nullptr, config_path_);
  if (!report.module_loaded && root_ == "/") {
    report.module_refusal = ModuleRefusal(ReadModuleSigning(root_, KernelRelease()));
  }
  std::map<std::string, std::string> wwids;
  for (const auto& [block, use] : ReadDiskWwids(live->sessions, root_)) {
    wwids[block] = use.wwid;
  }
  VolumeReport volumes = BuildVolumes(report, ReadMultipathForStatus(root_), wwids,
                                      use_config ? &loaded.sessions : nullptr);
  if (check_) {
    CheckResult check = CheckVolumes(volumes);
    out << FormatCheck(check);
    return check.exit;
  }
  if (json_ || format_ == "json") {
    nlohmann::ordered_json j = StatusToJson(report);
    PutVolumesJson(j, volumes);
    out << j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  } else if (format_ == "prometheus") {
    out << StatusToPrometheus(report);
  } else {
    out << FormatStatus(report) << FormatVolumes(volumes);
  }
  return kExitOk;
}

int StatusCommands::RunNics(std::ostream& out, std::ostream& err) {
  std::vector<NicInfo> nics = ReadNicsWarning(root_, err);
  if (json_) {
    out << NicsToJson(nics).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  } else {
    out << FormatNics(nics);
  }
  return kExitOk;
}

}  // namespace iscsictl
