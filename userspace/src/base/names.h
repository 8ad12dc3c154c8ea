// Syntax checks for the names and addresses a config holds: iSCSI names, MAC
// addresses, netdev names, host names / IP addresses, subnets. Pure functions.
#pragma once

#include <string>
#include <string_view>

namespace iscsictl {

// iqn.YYYY-MM.reversed.domain[:id], eui.<16 hex>, naa.<16|32 hex> (RFC 7143 4.2.7), at
// most 223 bytes, of RFC 3722's characters after stringprep restricted to ASCII: letters
// (either case: names compare case-insensitively), digits, '-', '.', ':'. No '/', space,
// control character or NUL can pass, so a valid name is always one safe path component.
bool IsIscsiName(std::string_view s);
bool IsIscsiNameChar(char c);  // c lower-cased

// Six colon-separated hex octets, either case.
bool IsMacAddress(std::string_view s);
// Lower-case form of a valid MAC address.
std::string NormalizeMac(std::string_view s);

// A Linux network interface name: 1..15 bytes, no '/', ':' or whitespace, not "." or "..".
bool IsNetdevName(std::string_view s);

bool IsIpv4Address(std::string_view s);
bool IsIpv6Address(std::string_view s);
// RFC 1123 host name (letters, digits, '-', dot-separated labels of at most 63 bytes).
bool IsHostName(std::string_view s);
// Any of the three above.
bool IsHost(std::string_view s);

// "10.0.0.0/24" or "fd00::/64" with a prefix length valid for the family.
bool IsSubnet(std::string_view s);

// Canonical text of a host for comparisons: IP addresses as inet_ntop prints
// them ("FE80:0::1" -> "fe80::1"), host names lower-cased.
std::string CanonicalHost(std::string_view s);

// Lower-cases ASCII.
std::string ToLower(std::string_view s);

}  // namespace iscsictl
