#pragma once
// A fast non-cryptographic hash for cache keys (FNV-1a, 64 bit). Not for signatures:
// rule bundles are verified with Ed25519.

#include <cstdint>
#include <string>
#include <string_view>

namespace phiguard::util {

class Fnv1a64 {
 public:
  Fnv1a64& Add(std::string_view bytes) {
    for (char c : bytes) state_ = (state_ ^ static_cast<unsigned char>(c)) * 0x100000001b3ULL;
    // A separator so ("ab","c") and ("a","bc") differ.
    state_ = (state_ ^ 0xFFu) * 0x100000001b3ULL;
    return *this;
  }
  std::uint64_t value() const { return state_; }
  std::string Hex() const;

 private:
  std::uint64_t state_ = 0xcbf29ce484222325ULL;
};

inline std::string Fnv1a64::Hex() const {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i)
    out[static_cast<std::size_t>(i)] = kDigits[(state_ >> ((15 - i) * 4)) & 0xF];
  return out;
}

}  // namespace phiguard::util
