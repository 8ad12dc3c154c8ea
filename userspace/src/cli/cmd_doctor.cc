#include "cli/cmd_doctor.h"

#include <algorithm>
#include <ostream>

#include "base/exit_status.h"
#include "base/names.h"
#include "config/config_load.h"
#include "plan/doctor_multipathd.h"
#include "plan/doctor_net.h"
#include "report/doctor_report.h"
#include "sources/doctor_facts.h"
#include "sources/live_source.h"
#include "sources/multipath_reader.h"
#include "sources/multipathd_config.h"
#include "sources/nics.h"
#include "sources/portal_probe.h"

namespace iscsictl {
namespace {

std::map<std::string, std::vector<ScsiIdentity>> LiveDevices() {
  std::map<std::string, std::vector<ScsiIdentity>> out;
  std::string error;
  std::optional<LiveState> live = LiveStateSource("/").Read(&error);
  if (!live) {
    return out;
  }
  for (const LiveSession& s : live->sessions) {
    std::vector<ScsiIdentity>& list = out[ToLower(s.targetname)];
    for (const LiveDisk& d : s.disks) {
      ScsiIdentity id = ReadScsiIdentity("/", d.hctl);
      if (!id.vendor.empty() && std::find(list.begin(), list.end(), id) == list.end()) {
        list.push_back(id);
      }
    }
  }
  return out;
}

std::vector<MpathTargetFacts> MpathTargets(const DoctorScope& scope, const DoctorIo& io) {
  std::map<std::string, std::vector<ScsiIdentity>> devices = io.devices();
  std::vector<MpathTargetFacts> out;
  for (const DoctorTarget& t : scope.targets) {
    out.push_back({t.name, t.sessions, t.replacement_timeouts, devices[ToLower(t.name)]});
  }
  return out;
}

bool NeedsMultipath(const DoctorScope& scope) {
  return std::any_of(scope.targets.begin(), scope.targets.end(),
                     [](const DoctorTarget& t) { return t.sessions >= 2; });
}

}  // namespace

DoctorIo RealDoctorIo() {
  DoctorIo io;
  io.nics = [](std::string* warning) { return ReadNics("/", warning); };
  io.ipv4_conf = [](const std::string& nic) { return ReadIpv4Conf("/", nic); };
  io.probe = ProbePortals;
  io.multipathd = [] { return ReadMultipathdFacts(RealMultipathIo()); };
  io.devices = LiveDevices;
  return io;
}

int RunDoctor(const DoctorOptions& options, const DoctorIo& io, std::ostream& out,
              std::ostream& err) {
  LoadedConfig loaded = LoadConfigFile(options.config_path);
  if (!loaded.ok()) {
    for (const ConfigError& e : loaded.errors) {
      err << e.ToString() << "\n";
    }
    return kExitBadInput;
  }
  for (const std::string& w : loaded.warnings) {
    err << "iscsictl: " << w << "\n";
  }
  std::string warning;
  std::vector<NicInfo> nics = io.nics(&warning);
  if (!warning.empty()) {
    err << "iscsictl: " << warning << "\n";
  }
  DoctorScope scope = MakeDoctorScope(loaded.sessions, nics);
  std::map<std::string, Ipv4Conf> conf{{"all", io.ipv4_conf("all")}};
  for (const std::string& nic : scope.nics) {
    conf[nic] = io.ipv4_conf(nic);
  }
  io.probe(scope.probes, static_cast<int>(options.timeout * 1000));
  std::vector<DoctorFinding> findings = CheckArpFlux(scope.nics, nics, conf);
  for (auto&& more : {CheckMtu(scope, nics), CheckReach(scope.probes)}) {
    findings.insert(findings.end(), more.begin(), more.end());
  }
  DoctorChecked checked;
  checked.nics = scope.nics.size();
  checked.probes = scope.probes.size();
  checked.unbound = scope.unbound;
  checked.absent = scope.absent;
  checked.targets = static_cast<size_t>(std::count_if(
      scope.targets.begin(), scope.targets.end(), [](const DoctorTarget& t) { return !t.nics.empty(); }));
  if (NeedsMultipath(scope)) {
    checked.multipathd = true;
    std::vector<DoctorFinding> mp =
        CheckMultipathd(io.multipathd(), MpathTargets(scope, io), options.config_path);
    findings.insert(findings.end(), mp.begin(), mp.end());
  }
  if (options.json) {
    out << DoctorToJson(findings, checked).dump(2, ' ', false,
                                                nlohmann::json::error_handler_t::replace)
        << "\n";
  } else {
    out << FormatDoctor(findings, checked);
  }
  return findings.empty() ? kExitOk : kExitFailure;
}

DoctorCommand::DoctorCommand(CLI::App& app, const std::string& config_path)
    : config_path_(config_path) {
  cmd_ = app.add_subcommand(
      "doctor",
      "Check the host for multi-NIC iSCSI: ARP flux, MTU, each NIC reaching each portal, "
      "multipathd; each finding with its fix; exit 1 on findings");
  cmd_->add_flag("--json", options_.json, "JSON output (json-schema/doctor.schema.json)");
  cmd_->add_option("--timeout", options_.timeout,
                   "Seconds the TCP connects to the portals may take, all together")
      ->capture_default_str()
      ->check(CLI::Range(0.1, 60.0));
}

std::optional<int> DoctorCommand::Run(std::ostream& out, std::ostream& err) {
  if (!cmd_->parsed()) {
    return std::nullopt;
  }
  options_.config_path = config_path_;
  return RunDoctor(options_, RealDoctorIo(), out, err);
}

}  // namespace iscsictl
