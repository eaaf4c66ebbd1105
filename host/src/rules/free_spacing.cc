#include "rules/free_spacing.h"

namespace phiguard::rules {
namespace {

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

// Copies the character class that opens at `in[start]` (a '[') to `out` unchanged and
// returns the index after its closing ']'. Spacing is literal inside a class, so nothing
// in it is removed; an unclosed class keeps the rest of the pattern, and the engines then
// refuse it with their own message.
std::size_t CopyClass(std::string_view in, std::size_t start, std::string& out) {
  std::size_t i = start + 1;
  if (i < in.size() && in[i] == '^') ++i;
  if (i < in.size() && in[i] == ']') ++i;  // a ']' first in the class is a member
  while (i < in.size()) {
    if (in[i] == '\\' && i + 1 < in.size()) {
      i += 2;
    } else if (in[i] == '[' && i + 1 < in.size() && in[i + 1] == ':') {
      // [:alpha:] inside a class: its ']' does not close the class.
      const auto close = in.find(":]", i + 2);
      i = close == std::string_view::npos ? i + 1 : close + 2;
    } else if (in[i] == ']') {
      ++i;
      break;
    } else {
      ++i;
    }
  }
  out.append(in.substr(start, i - start));
  return i;
}

}  // namespace

std::string StripFreeSpacing(std::string_view pattern) {
  if (!pattern.starts_with(kFreeSpacingMarker)) return std::string(pattern);
  const std::string_view in = pattern.substr(kFreeSpacingMarker.size());
  std::string out;
  out.reserve(in.size());
  std::size_t i = 0;
  while (i < in.size()) {
    const char c = in[i];
    if (c == '\\' && i + 1 < in.size()) {
      const char next = in[i + 1];
      if (next == 'Q') {  // \Q...\E quotes its bytes, spacing included
        const auto end = in.find("\\E", i + 2);
        const auto stop = end == std::string_view::npos ? in.size() : end + 2;
        out.append(in.substr(i, stop - i));
        i = stop;
        continue;
      }
      if (next == ' ' || next == '#') {
        out += next;
      } else {
        out += c;
        out += next;
      }
      i += 2;
    } else if (c == '[') {
      i = CopyClass(in, i, out);
    } else if (c == '#') {
      const auto end = in.find('\n', i);
      i = end == std::string_view::npos ? in.size() : end + 1;
    } else {
      if (!IsSpace(c)) out += c;
      ++i;
    }
  }
  return out;
}

}  // namespace phiguard::rules
