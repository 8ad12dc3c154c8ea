#include "plan/iface_match.h"

#include <arpa/inet.h>
#include <fnmatch.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <map>

#include <fmt/format.h>

#include "base/names.h"

namespace iscsictl {
namespace {

struct Addr {
  int family = 0;
  std::array<unsigned char, 16> bytes{};
};

bool ParseAddr(std::string_view text, Addr& out) {
  std::string s(text.substr(0, text.find('/')));
  s = s.substr(0, s.find('%'));
  if (inet_pton(AF_INET, s.c_str(), out.bytes.data()) == 1) {
    out.family = AF_INET;
    return true;
  }
  if (inet_pton(AF_INET6, s.c_str(), out.bytes.data()) == 1) {
    out.family = AF_INET6;
    return true;
  }
  return false;
}

}  // namespace

bool InSubnet(std::string_view address, std::string_view subnet) {
  if (!IsSubnet(subnet)) {
    return false;
  }
  size_t slash = subnet.find('/');
  int prefix = 0;
  std::string_view len = subnet.substr(slash + 1);
  std::from_chars(len.data(), len.data() + len.size(), prefix);
  Addr a;
  Addr net;
  if (!ParseAddr(address, a) || !ParseAddr(subnet.substr(0, slash), net) ||
      a.family != net.family) {
    return false;
  }
  for (int bit = 0; bit < prefix; ++bit) {
    unsigned mask = 0x80U >> (bit % 8);
    if ((a.bytes[bit / 8] & mask) != (net.bytes[bit / 8] & mask)) {
      return false;
    }
  }
  return true;
}

bool IfaceMatches(const Iface& iface, const NicFacts& nic) {
  switch (iface.kind) {
    case Iface::Kind::kMac:
      return ToLower(nic.mac) == ToLower(iface.value);
    case Iface::Kind::kNetdev:
      return nic.name == iface.value;
    case Iface::Kind::kRule: {
      if (!iface.name_glob.empty() && fnmatch(iface.name_glob.c_str(), nic.name.c_str(), 0) != 0) {
        return false;
      }
      if (!iface.driver.empty() && nic.driver != iface.driver) {
        return false;
      }
      if (!iface.subnet.empty() &&
          std::none_of(nic.addresses.begin(), nic.addresses.end(),
                       [&](const std::string& a) { return InSubnet(a, iface.subnet); })) {
        return false;
      }
      return !iface.name_glob.empty() || !iface.driver.empty() || !iface.subnet.empty();
    }
    case Iface::Kind::kDefault:
    case Iface::Kind::kRecord:
      return false;
  }
  return false;
}

std::vector<NicFacts> SelectNics(const Iface& iface, const std::vector<NicFacts>& nics) {
  std::vector<NicFacts> out;
  std::copy_if(nics.begin(), nics.end(), std::back_inserter(out),
               [&](const NicFacts& n) { return IfaceMatches(iface, n); });
  return out;
}

namespace {

// Why a session's iface selects no NIC, as its note says.
std::string AbsentText(const Iface& iface) {
  if (iface.kind == Iface::Kind::kMac) {
    return fmt::format("no NIC with MAC {} on this host: no session", NormalizeMac(iface.value));
  }
  if (iface.kind == Iface::Kind::kNetdev) {
    return fmt::format("no NIC named {} on this host: no session", iface.value);
  }
  std::string rule;
  auto add = [&rule](const char* what, const std::string& value) {
    if (!value.empty()) {
      rule += fmt::format("{}{} {}", rule.empty() ? "" : ", ", what, value);
    }
  };
  add("name", iface.name_glob);
  add("driver", iface.driver);
  add("subnet", iface.subnet);
  return fmt::format("no NIC on this host matches the rule ({}): no session", rule);
}

}  // namespace

std::vector<BoundSession> BindSessions(const std::vector<DesiredSession>& sessions,
                                       const std::vector<NicFacts>& nics) {
  std::vector<BoundSession> out;
  std::map<std::string, std::vector<size_t>> users;  // target,address,port,nic -> into out
  for (size_t i = 0; i < sessions.size(); ++i) {
    const DesiredSession& d = sessions[i];
    if (d.iface.kind == Iface::Kind::kDefault || d.iface.kind == Iface::Kind::kRecord) {
      out.push_back({i, {}, "", ""});
      continue;
    }
    std::vector<NicFacts> selected = SelectNics(d.iface, nics);
    if (selected.empty()) {
      out.push_back({i, {}, AbsentText(d.iface), ""});
      continue;
    }
    const ConnParams* conn = d.conns.empty() ? nullptr : &d.conns.front();
    for (const NicFacts& nic : selected) {
      std::string key =
          fmt::format("{},{},{},{}", ToLower(d.target),
                      CanonicalHost(conn != nullptr ? conn->address.value_or("") : ""),
                      conn != nullptr ? conn->port.value_or(0) : 0, nic.name);
      users[key].push_back(out.size());
      out.push_back({i, nic, "", ""});
    }
  }
  for (const auto& [key, indexes] : users) {
    if (indexes.size() < 2) {
      continue;
    }
    std::string pointers;
    for (size_t k : indexes) {
      pointers += (pointers.empty() ? "" : " and ") + sessions[out[k].desired_index].pointer;
    }
    const NicFacts& nic = out[indexes.front()].nic;
    std::string text = fmt::format(
        "NIC {} ({}) is chosen for the same target and portal by {}: none of them is made "
        "(make the ifaces select different NICs)",
        nic.name, NormalizeMac(nic.mac), pointers);
    for (size_t k : indexes) {
      out[k].conflict = text;
    }
  }
  return out;
}

}  // namespace iscsictl
