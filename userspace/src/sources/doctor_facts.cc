#include "sources/doctor_facts.h"

#include <optional>

#include "base/dir.h"
#include "base/names.h"
#include "base/numbers.h"
#include "model/live_state.h"

namespace iscsictl {
namespace {

std::optional<int> ReadInt(const Dir& dir, const char* name) {
  std::optional<long> v = ParseLong(dir.Read(name).value_or(""));
  return v ? std::optional<int>(static_cast<int>(*v)) : std::nullopt;
}

std::string TrimRight(std::string s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
    s.pop_back();
  }
  return s;
}

}  // namespace

Ipv4Conf ReadIpv4Conf(const std::string& root, const std::string& nic) {
  Ipv4Conf conf;
  if (!IsNetdevName(nic) && nic != "all") {
    return conf;
  }
  Dir dir = Dir::Open(Dir::OpenRoot(root), "proc/sys/net/ipv4/conf/" + nic);
  conf.arp_ignore = ReadInt(dir, "arp_ignore");
  conf.arp_announce = ReadInt(dir, "arp_announce");
  conf.rp_filter = ReadInt(dir, "rp_filter");
  return conf;
}

ScsiIdentity ReadScsiIdentity(const std::string& root, const std::string& hctl) {
  if (!IsHctl(hctl)) {
    return {};
  }
  Dir dev = Dir::Open(Dir::OpenRoot(root), "sys/class/scsi_device/" + hctl + "/device");
  return {TrimRight(dev.Read("vendor").value_or("")), TrimRight(dev.Read("model").value_or(""))};
}

}  // namespace iscsictl
