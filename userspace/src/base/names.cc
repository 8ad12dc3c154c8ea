#include "base/names.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <regex>

namespace iscsictl {
namespace {

bool IsHex(char c) {
  return std::isxdigit(static_cast<unsigned char>(c)) != 0;
}

bool AllHex(std::string_view s) {
  return std::all_of(s.begin(), s.end(), IsHex);
}

}  // namespace

std::string ToLower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool IsIscsiNameChar(char c) {
  // RFC 3722 after stringprep, ASCII only: lower-case letters, digits, '-', '.', ':'.
  unsigned char u = static_cast<unsigned char>(c);
  return (u >= 'a' && u <= 'z') || (u >= '0' && u <= '9') || u == '-' || u == '.' || u == ':';
}

bool IsIscsiName(std::string_view s) {
  if (s.empty() || s.size() > 223) {  // bounded before any regex runs
    return false;
  }
  std::string lower = ToLower(s);
  if (!std::all_of(lower.begin(), lower.end(), IsIscsiNameChar)) {
    return false;
  }
  std::string_view v = lower;
  if (v.starts_with("eui.")) {
    return v.size() == 4 + 16 && AllHex(v.substr(4));
  }
  if (v.starts_with("naa.")) {
    return (v.size() == 4 + 16 || v.size() == 4 + 32) && AllHex(v.substr(4));
  }
  static const std::regex kIqn(
      "iqn\\.[0-9]{4}-(0[1-9]|1[0-2])\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?"
      "(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:[a-z0-9.:-]+)?");
  return std::regex_match(lower, kIqn);
}

bool IsMacAddress(std::string_view s) {
  if (s.size() != 17) {
    return false;
  }
  for (size_t i = 0; i < s.size(); ++i) {
    if (i % 3 == 2 ? s[i] != ':' : !IsHex(s[i])) {
      return false;
    }
  }
  return true;
}

std::string NormalizeMac(std::string_view s) {
  return ToLower(s);
}

bool IsNetdevName(std::string_view s) {
  if (s.empty() || s.size() > 15 || s == "." || s == "..") {
    return false;
  }
  return std::none_of(s.begin(), s.end(), [](unsigned char c) {
    return c == '/' || c == ':' || std::isspace(c) != 0 || c < 0x20;
  });
}

bool IsIpv4Address(std::string_view s) {
  std::string str(s);
  in_addr a{};
  return inet_pton(AF_INET, str.c_str(), &a) == 1;
}

bool IsIpv6Address(std::string_view s) {
  // Allow a zone index (fe80::1%eth0).
  std::string str(s.substr(0, s.find('%')));
  in6_addr a{};
  return inet_pton(AF_INET6, str.c_str(), &a) == 1;
}

bool IsHostName(std::string_view s) {
  if (s.empty() || s.size() > 253) {
    return false;
  }
  if (s.back() == '.') {
    s.remove_suffix(1);
  }
  bool all_numeric = true;
  size_t start = 0;
  while (true) {
    size_t dot = s.find('.', start);
    std::string_view label = s.substr(start, dot == std::string_view::npos ? s.npos : dot - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') {
      return false;
    }
    for (unsigned char c : label) {
      if (std::isalnum(c) == 0 && c != '-') {
        return false;
      }
      if (std::isdigit(c) == 0) {
        all_numeric = false;
      }
    }
    if (dot == std::string_view::npos) {
      break;
    }
    start = dot + 1;
  }
  // "10.0.0.300" is a broken IPv4 address, not a host name.
  return !all_numeric;
}

std::string CanonicalHost(std::string_view s) {
  std::string str(s);
  char buf[INET6_ADDRSTRLEN] = {};
  in_addr a4{};
  if (inet_pton(AF_INET, str.c_str(), &a4) == 1 && inet_ntop(AF_INET, &a4, buf, sizeof buf)) {
    return buf;
  }
  size_t zone = str.find('%');
  std::string addr = str.substr(0, zone);
  in6_addr a6{};
  if (inet_pton(AF_INET6, addr.c_str(), &a6) == 1 && inet_ntop(AF_INET6, &a6, buf, sizeof buf)) {
    return std::string(buf) + (zone == std::string::npos ? "" : str.substr(zone));
  }
  std::string host = ToLower(s);
  if (!host.empty() && host.back() == '.') {
    host.pop_back();
  }
  return host;
}

bool IsHost(std::string_view s) {
  return IsIpv4Address(s) || IsIpv6Address(s) || IsHostName(s);
}

bool IsSubnet(std::string_view s) {
  size_t slash = s.find('/');
  if (slash == std::string_view::npos) {
    return false;
  }
  std::string_view addr = s.substr(0, slash);
  std::string_view len = s.substr(slash + 1);
  int prefix = -1;
  auto [p, ec] = std::from_chars(len.data(), len.data() + len.size(), prefix);
  if (ec != std::errc() || p != len.data() + len.size() || len.empty()) {
    return false;
  }
  if (IsIpv4Address(addr)) {
    return prefix >= 0 && prefix <= 32;
  }
  if (IsIpv6Address(addr) && addr.find('%') == std::string_view::npos) {
    return prefix >= 0 && prefix <= 128;
  }
  return false;
}

}  // namespace iscsictl
