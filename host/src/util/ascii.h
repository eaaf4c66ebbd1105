#pragma once
// ASCII word bytes, and case folding for rule words, context phrases and header names. Only A-Z
// change: every other byte, UTF-8 included, stays as it is, so offsets into the text still hold
// (std::tolower would depend on the locale).

#include <string>
#include <string_view>

namespace phiguard::util {

// 0-9 only: std::isdigit depends on the locale and is undefined for negative chars.
constexpr bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }

// A byte of \w as Hyperscan and RE2 (Latin-1 mode, as the rules compile) see it: where \b
// falls, so term lists and their expressions agree with the engines on word edges.
constexpr bool IsAsciiWordByte(unsigned char c) {
  return IsAsciiDigit(static_cast<char>(c)) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         c == '_';
}

constexpr char LowerAscii(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c + ('a' - 'A')) : c;
}

inline std::string LowerAscii(std::string_view text) {
  std::string out(text);
  for (auto& c : out) c = LowerAscii(c);
  return out;
}

}  // namespace phiguard::util
