#include "exec/discover.h"

#include <fmt/format.h>

#include <sstream>

#include "base/names.h"
#include "base/numbers.h"
#include "base/portal.h"
#include "plan/record_fields.h"
#include "sources/live_source.h"
#include "sources/nics.h"
#include "store/record_store.h"

namespace iscsictl {
namespace {

bool Fail(Discovery& d, Discovery::Stop stop, std::string error) {
  d.stop = stop;
  d.error = std::move(error);
  return false;
}

// -H hostN: the host's MAC (the module's hba_hwaddress, else iscsid's hwaddress); an offload
// HBA goes through its own iface record (found by MAC and a transport other than tcp), a
// software host through the NIC its connection uses.
bool ResolveHost(const DiscoverRequest& req, const ReconcileEnv& env, Discovery& d) {
  int n = NumberAfter(req.host, "host");
  if (n < 0) {
    n = NumberAfter("host" + req.host, "host");
  }
  std::string error;
  LiveState live = LiveStateSource(env.sysfs_root).Read(&error).value_or(LiveState{});
  const LiveHost* host = n >= 0 ? live.FindHost(n) : nullptr;
  if (host == nullptr) {
    return Fail(d, Discovery::Stop::kBadInput, fmt::format("-H {}: no such iSCSI host", req.host));
  }
  d.mac = IsMacAddress(host->hba_hwaddress) ? host->hba_hwaddress : host->hwaddress;
  if (!IsMacAddress(d.mac)) {
    return Fail(d, Discovery::Stop::kBadInput,
                fmt::format("-H {}: the host reports no MAC (load iscsi_iface_attrs)", req.host));
  }
  d.iface.clear();
  for (const auto& [name, rec] : RecordStore(env.iscsi_root).Read().ifaces) {
    auto hw = rec.fields.find("iface.hwaddress");
    auto tr = rec.fields.find("iface.transport_name");
    if (hw != rec.fields.end() && NormalizeMac(hw->second) == NormalizeMac(d.mac) &&
        tr != rec.fields.end() && tr->second != "tcp") {
      d.iface = name;
    }
  }
  return true;
}

// Which iface record discovery goes through; writes iscsictl's own when it is one.
bool ResolveIface(const DiscoverRequest& req, const ReconcileEnv& env, Discovery& d) {
  d.iface = std::string(kDefaultOwnedIface);
  if (!req.host.empty()) {
    if (!ResolveHost(req, env, d)) {
      return false;
    }
  } else if (!req.nic.empty()) {
    std::string warning;
    const std::vector<NicInfo> nics = ReadNics(env.sysfs_root, &warning);
    if (!warning.empty()) {
      d.warnings.push_back(warning);
    }
    const NicInfo* nic = FindNicByNameOrMac(nics, req.nic);
    if (nic == nullptr) {
      return Fail(d, Discovery::Stop::kBadInput,
                  fmt::format("-I {}: no such NIC (by name or MAC)", req.nic));
    }
    d.mac = NormalizeMac(nic->mac);
    d.iface.clear();
  }
  if (d.iface.empty()) {
    d.iface = OwnedIfaceName(d.mac);
  } else if (d.iface != kDefaultOwnedIface) {
    return true;  // an offload HBA's own record: never written by iscsictl
  }
  std::string mac = d.iface == kDefaultOwnedIface ? "" : d.mac;
  if (auto e = RecordStore(env.iscsi_root).WriteIface({d.iface, IfaceFields(d.iface, mac)})) {
    return Fail(d, Discovery::Stop::kEnvironment, *e);
  }
  return true;
}

}  // namespace

std::vector<DiscoveredTarget> ParseSendTargets(std::string_view output) {
  std::vector<DiscoveredTarget> out;
  std::istringstream lines{std::string(output)};
  std::string line;
  while (std::getline(lines, line)) {
    std::istringstream words(line);
    std::string p, name;
    if (!(words >> p >> name) || !IsIscsiName(name)) {
      continue;
    }
    size_t comma = p.rfind(',');
    DiscoveredTarget t;
    t.name = name;
    if (comma != std::string::npos) {
      std::optional<long> tpgt = ParseLong(p.substr(comma + 1));
      t.tpgt = tpgt ? static_cast<int>(*tpgt) : 0;
    }
    std::optional<int> port;
    if (!ParsePortal(p.substr(0, comma), t.address, port)) {
      continue;
    }
    t.port = port.value_or(3260);
    out.push_back(std::move(t));
  }
  return out;
}

Discovery Discover(const DiscoverRequest& req, const ReconcileEnv& env, CommandRunner& runner) {
  Discovery d;
  std::string error;
  std::optional<FileLock> lock = FileLock::Acquire(env.lock_path, env.lock_wait, error);
  if (!lock) {
    Fail(d, Discovery::Stop::kLock, error);
    return d;
  }
  std::string address;
  std::optional<int> port;
  if (!ParsePortal(req.portal, address, port)) {
    Fail(d, Discovery::Stop::kBadInput,
         fmt::format("-p {}: not a portal (address[:port])", req.portal));
    return d;
  }
  d.portal = FormatPortal(address, port.value_or(3260));
  if (!ResolveIface(req, env, d)) {
    return d;
  }
  if (std::optional<std::string> why = CheckIscsid(env.iscsid_socket)) {
    Fail(d, Discovery::Stop::kEnvironment, *why);
    return d;
  }
  ProcessSpec spec;
  spec.argv = {env.exec.iscsiadm, "-m", "discovery", "-t", "sendtargets",  "-p",
               d.portal,          "-I", d.iface,     "-o", "nonpersistent"};
  spec.timeout = std::chrono::seconds(60);
  ProcessResult r = runner.Run(spec);
  if (!r.Ok()) {
    Fail(d, Discovery::Stop::kFailed,
         fmt::format("discovery at {} through {} failed: {}", d.portal, d.iface, r.Describe()));
    return d;
  }
  d.targets = ParseSendTargets(r.out);
  return d;
}

}  // namespace iscsictl
