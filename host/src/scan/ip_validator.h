#pragma once
// Whether a candidate is an IP address written as people paste it: dotted IPv4, or an
// IPv6 text form from RFC 4291 section 2.2 (full, '::'-compressed, or with a trailing IPv4).

#include <string_view>

namespace phiguard::scan {

// Four dotted decimal octets 0..255 without leading zeros ("01" could be octal to some
// parsers, and no one writes it); 0.0.0.0 is rejected because it names no host.
bool IsIpv4Address(std::string_view candidate);

// Eight hex groups of 1..4 digits, at most one "::" standing for one or more zero groups,
// and optionally an IPv4 address in place of the last two groups.
bool IsIpv6Address(std::string_view candidate);

}  // namespace phiguard::scan
