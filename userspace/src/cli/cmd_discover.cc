// `iscsictl discover`: exec/discover.h does the work; this prints the config snippet.
#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <ostream>

#include "base/exit_status.h"
#include "cli/cmd_reconcile.h"
#include "exec/discover.h"

namespace iscsictl {
namespace {

int StatusOf(Discovery::Stop stop) {
  switch (stop) {
    case Discovery::Stop::kNone:
      return kExitOk;
    case Discovery::Stop::kBadInput:
      return kExitBadInput;
    case Discovery::Stop::kFailed:
      return kExitFailure;
    case Discovery::Stop::kLock:
    case Discovery::Stop::kEnvironment:
      break;
  }
  return kExitEnvironment;
}

// One target per (target, portal), with a session through the NIC (or HBA record) asked for.
nlohmann::ordered_json ConfigSnippet(const Discovery& d) {
  using json = nlohmann::ordered_json;
  json targets = json::array();
  for (const DiscoveredTarget& found : d.targets) {
    json t = {{"name", found.name},
              {"tpgt", found.tpgt},
              {"portal", {{"address", found.address}, {"port", found.port}}}};
    if (!IsOwnedIface(d.iface)) {
      t["sessions"] = json::array({{{"iface", {{"record", d.iface}}}}});  // offload HBA port
    } else if (!d.mac.empty()) {
      t["sessions"] = json::array({{{"iface", d.mac}}});
    }
    targets.push_back(t);
  }
  return {{"version", 1}, {"targets", targets}};
}

}  // namespace

int ReconcileCommands::RunDiscover(std::ostream& out, std::ostream& err) {
  Discovery d = Discover({portal_, iface_, host_}, env_, runner_);
  for (const std::string& w : d.warnings) {
    err << "iscsictl: " << w << "\n";
  }
  if (d.stop != Discovery::Stop::kNone) {
    err << "iscsictl: " << d.error << "\n";
    return StatusOf(d.stop);
  }
  out << ConfigSnippet(d).dump(2) << "\n";
  err << fmt::format("iscsictl: {} target{} at {} through {}; no node record was written\n",
                     d.targets.size(), d.targets.size() == 1 ? "" : "s", d.portal, d.iface);
  return kExitOk;
}

}  // namespace iscsictl
