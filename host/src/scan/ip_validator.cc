#include "scan/ip_validator.h"

#include <cstddef>

#include "util/ascii.h"

namespace phiguard::scan {
namespace {

bool IsHexDigit(char c) {
  return util::IsAsciiDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// One IPv4 octet: "0", or 1..3 digits without a leading zero, at most 255.
bool ReadOctet(std::string_view part, int& value) {
  if (part.empty() || part.size() > 3 || (part.size() > 1 && part[0] == '0')) return false;
  value = 0;
  for (char c : part) {
    if (!util::IsAsciiDigit(c)) return false;
    value = value * 10 + (c - '0');
  }
  return value <= 255;
}

// One IPv6 piece between colons: hex groups count one, a trailing IPv4 address counts two.
// Returns the number of 16-bit groups, or 0 when the piece is malformed.
int GroupsInPiece(std::string_view piece, bool is_last) {
  if (piece.find('.') != std::string_view::npos) {
    return is_last && IsIpv4Address(piece) ? 2 : 0;
  }
  if (piece.empty() || piece.size() > 4) return 0;
  for (char c : piece) {
    if (!IsHexDigit(c)) return 0;
  }
  return 1;
}

// Groups in a colon-separated run with no "::" in it; -1 when any piece is malformed, so a
// lone leading or trailing ':' fails as an empty piece. `ends_address` allows the IPv4 tail.
int GroupsInRun(std::string_view run, bool ends_address) {
  int groups = 0;
  while (true) {
    const std::size_t colon = run.find(':');
    const bool last = ends_address && colon == std::string_view::npos;
    const int n = GroupsInPiece(run.substr(0, colon), last);
    if (n == 0) return -1;
    groups += n;
    if (colon == std::string_view::npos) return groups;
    run.remove_prefix(colon + 1);
  }
}

}  // namespace

bool IsIpv4Address(std::string_view candidate) {
  int parts = 0;
  bool all_zero = true;
  while (true) {
    const std::size_t dot = candidate.find('.');
    int octet = 0;
    if (!ReadOctet(candidate.substr(0, dot), octet)) return false;
    all_zero = all_zero && octet == 0;
    if (++parts > 4) return false;
    if (dot == std::string_view::npos) break;
    candidate.remove_prefix(dot + 1);
  }
  return parts == 4 && !all_zero;
}

bool IsIpv6Address(std::string_view candidate) {
  // The longest text form is eight full groups or six groups plus a dotted IPv4: 45 chars.
  if (candidate.size() < 2 || candidate.size() > 45) return false;
  const std::size_t gap = candidate.find("::");
  const bool compressed = gap != std::string_view::npos;
  if (compressed && candidate.find("::", gap + 1) != std::string_view::npos) return false;

  if (!compressed) return GroupsInRun(candidate, true) == 8;
  const std::string_view head = candidate.substr(0, gap);
  const std::string_view tail = candidate.substr(gap + 2);
  const int head_groups = head.empty() ? 0 : GroupsInRun(head, false);
  const int tail_groups = tail.empty() ? 0 : GroupsInRun(tail, true);
  if (head_groups < 0 || tail_groups < 0) return false;
  // "::" stands for at least one zero group (RFC 4291 section 2.2, form 2).
  return head_groups + tail_groups <= 7;
}

}  // namespace phiguard::scan
