#include "cli/cmd_doctor.h"

#include <doctest/doctest.h>

#include <sstream>

#include "testing/test_util.h"

using namespace iscsictl;
using iscsictl::testing::RunCliForTest;
using iscsictl::testing::TempDir;

namespace {

NicInfo Nic(const std::string& name, const std::string& mac, const std::string& address) {
  NicInfo n;
  n.name = name;
  n.mac = mac;
  n.carrier = true;
  n.mtu = 1500;
  n.addresses = {address};
  return n;
}

// The host as a test wants it: ve0, ve1 on 10.33.0.0/24 set as recommended, every portal
// reachable, multipathd running with fast_io_fail_tmo 5.
struct FakeHost {
  std::vector<NicInfo> nics{Nic("ve0", "02:00:00:00:01:00", "10.33.0.101/24"),
                            Nic("ve1", "02:00:00:00:01:01", "10.33.0.102/24")};
  std::map<std::string, Ipv4Conf> conf{{"all", {0, 0, 0}}, {"ve0", {1, 2, 0}}, {"ve1", {1, 2, 0}}};
  std::string unreachable_nic;
  bool multipathd = true;
  std::vector<std::string> probed;

  DoctorIo Io() {
    DoctorIo io;
    io.nics = [this](std::string*) { return nics; };
    io.ipv4_conf = [this](const std::string& nic) { return conf[nic]; };
    io.probe = [this](std::vector<PortalProbe>& probes, int timeout_ms) {
      CHECK(timeout_ms == 3000);
      for (PortalProbe& p : probes) {
        probed.push_back(p.nic + ">" + p.address);
        p.ok = p.nic != unreachable_nic;
        p.error = p.ok ? "" : "No route to host";
      }
    };
    io.multipathd = [this] {
      MultipathdFacts f;
      f.running = multipathd;
      f.error = multipathd ? "" : "multipathd is not running (no socket)";
      if (multipathd) {
        f.config = MultipathdSettings{};
        f.config->defaults.keys = {{"fast_io_fail_tmo", "5"}};
      }
      return f;
    };
    io.devices = [] { return std::map<std::string, std::vector<ScsiIdentity>>{}; };
    return io;
  }
};

const char* const kConfig = R"({"session_defaults": {"timeo": {"replacement_timeout": 5}},
  "targets": [{"name": "iqn.2026-11.lab.target:doctor", "portal": {"address": "10.33.0.10"},
  "sessions": [{"iface": "ve0"}, {"iface": "ve1"}]}]})";

int Run(FakeHost& host, const std::string& config, std::string& out, bool json = false) {
  TempDir dir;
  DoctorOptions options;
  options.config_path = dir.Write("c.json", config);
  options.json = json;
  std::ostringstream o, e;
  int status = RunDoctor(options, host.Io(), o, e);
  out = o.str() + e.str();
  return status;
}

}  // namespace

TEST_CASE("doctor: a healthy host exits 0 with one summary line") {
  FakeHost host;
  std::string out;
  CHECK(Run(host, kConfig, out) == 0);
  CHECK(out == "doctor: OK (checked 2 NICs of 1 target, 2 NIC-portal pairs, multipathd)\n");
  CHECK(host.probed == std::vector<std::string>{"ve0>10.33.0.10", "ve1>10.33.0.10"});
  CHECK(Run(host, kConfig, out, true) == 0);
  CHECK(out.find("\"ok\": true") != std::string::npos);
}

TEST_CASE("doctor: each class of finding, exit 1") {
  FakeHost host;
  host.conf["ve1"] = {0, 0, 1};
  host.nics[0].mtu = 9000;
  host.unreachable_nic = "ve1";
  host.multipathd = false;
  std::string out;
  CHECK(Run(host, kConfig, out) == 1);
  CHECK(out.find("doctor: arp: ve1 shares 10.33.0.0/24 with ve0") != std::string::npos);
  CHECK(out.find("doctor: mtu: the NICs of iqn.2026-11.lab.target:doctor disagree") !=
        std::string::npos);
  CHECK(out.find("doctor: reach: ve1 (10.33.0.102) cannot reach portal 10.33.0.10:3260: No route "
                 "to host") != std::string::npos);
  CHECK(out.find("doctor: multipathd: multipathd is not running") != std::string::npos);
  CHECK(out.ends_with("doctor: 4 findings (checked 2 NICs of 1 target, 2 NIC-portal pairs, "
                      "multipathd)\n"));
  // multipathd up, but its fast_io_fail_tmo unlike the config's 120 (the default)
  host = FakeHost();
  std::string config = kConfig;
  config.replace(config.find("5}}"), 1, "120");
  CHECK(Run(host, config, out) == 1);
  CHECK(out.find("doctor: multipathd: fast_io_fail_tmo 5 (defaults)") != std::string::npos);
}

TEST_CASE("doctor: a single path needs no multipathd; a bad config exits 2") {
  FakeHost host;
  host.multipathd = false;
  std::string out;
  CHECK(Run(host, R"({"targets": [{"name": "iqn.2026-11.lab.target:one",
      "portal": {"address": "10.33.0.10"}, "sessions": [{"iface": "ve0"}]}]})", out) == 0);
  CHECK(out == "doctor: OK (checked 1 NIC of 1 target, 1 NIC-portal pair)\n");
  CHECK(Run(host, R"({"targets": [{"name": 7}]})", out) == 2);
  CHECK(out.find("doctor:") == std::string::npos);
}

TEST_CASE("doctor on the command line: --help, a missing config exits 2") {
  iscsictl::testing::CliResult r = RunCliForTest({"doctor", "--help"});
  CHECK(r.status == 0);
  CHECK(r.out.find("--timeout") != std::string::npos);
  r = RunCliForTest({"-c", "/nonexistent/iscsictl.json", "doctor"});
  CHECK(r.status == 2);
  r = RunCliForTest({"doctor", "--timeout", "0"});
  CHECK(r.status == 2);
}
