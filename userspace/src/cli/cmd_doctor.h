// `iscsictl doctor [--json] [--timeout SECS]`: the preflight of multi-NIC iSCSI
// (docs/doctor.md): ARP flux on NICs sharing a subnet, MTU agreement, each NIC reaching
// each portal, multipathd and its settings. Exit 0 no finding, 1 findings, 2 bad config.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <iosfwd>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/doctor.h"
#include "model/multipath_settings.h"
#include "model/nic.h"

namespace iscsictl {

// The I/O edge of doctor, each piece replaceable in tests.
struct DoctorIo {
  std::function<std::vector<NicInfo>(std::string* warning)> nics;
  std::function<Ipv4Conf(const std::string& nic)> ipv4_conf;  // "all" too
  std::function<void(std::vector<PortalProbe>& probes, int timeout_ms)> probe;
  std::function<MultipathdFacts()> multipathd;
  // The INQUIRY identities of each target's disks now, by lower-case target name.
  std::function<std::map<std::string, std::vector<ScsiIdentity>>()> devices;
};

// The live host: rtnetlink/sysfs NICs, /proc/sys, TCP connects, multipathd's socket, the
// live iSCSI state's disks.
DoctorIo RealDoctorIo();

struct DoctorOptions {
  std::string config_path;
  bool json = false;
  double timeout = 3;  // seconds the portal probes may take together
};

int RunDoctor(const DoctorOptions& options, const DoctorIo& io, std::ostream& out,
              std::ostream& err);

class DoctorCommand {
 public:
  DoctorCommand(CLI::App& app, const std::string& config_path);
  DoctorCommand(const DoctorCommand&) = delete;
  DoctorCommand& operator=(const DoctorCommand&) = delete;

  // After parsing: the exit status if `doctor` was given, else nullopt.
  std::optional<int> Run(std::ostream& out, std::ostream& err);

 private:
  const std::string& config_path_;
  CLI::App* cmd_ = nullptr;
  DoctorOptions options_;
};

}  // namespace iscsictl
