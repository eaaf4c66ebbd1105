#pragma once
// UTF-8 decoding helpers shared by the protocol (validation) and normalisation (offset maps).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace phiguard::util {

// One decoded code point and how many bytes it took.
struct DecodedCodePoint {
  char32_t code_point;
  std::size_t length;  // 1 to 4 bytes
};

// Decodes the code point starting at `pos`. Returns nullopt for any ill-formed sequence:
// overlong forms, surrogates (U+D800..U+DFFF), values above U+10FFFF, or truncation.
std::optional<DecodedCodePoint> DecodeUtf8At(std::string_view text, std::size_t pos);

// True when `text` is well-formed UTF-8 in the sense of RFC 3629.
bool IsValidUtf8(std::string_view text);

// Appends the UTF-8 encoding of `code_point` (must be a scalar value) to `out`.
template <typename String>
void AppendUtf8(String& out, char32_t code_point);

// Number of UTF-16 code units `code_point` takes in a JavaScript string (1 or 2).
constexpr std::uint32_t Utf16Length(char32_t code_point) { return code_point >= 0x10000 ? 2 : 1; }

template <typename String>
void AppendUtf8(String& out, char32_t cp) {
  using Char = typename String::value_type;
  if (cp < 0x80) {
    out.push_back(static_cast<Char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<Char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<Char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<Char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<Char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<Char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<Char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<Char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<Char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<Char>(0x80 | (cp & 0x3F)));
  }
}

}  // namespace phiguard::util
