#include "audit/device_identity.h"

#include <pwd.h>
#include <sodium.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>

namespace phiguard::audit {
namespace {

std::string Clean(std::string_view value) {
  std::string out{value.substr(0, 120)};
  std::replace_if(
      out.begin(), out.end(),
      [](char c) {
        return !(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-');
      },
      '_');
  return out.empty() ? "unknown" : out;
}

}  // namespace

std::string DeviceIdentityValue(config::DeviceIdentity identity, std::string_view hostname,
                                std::string_view user) {
  std::string clear = Clean(hostname) + "/" + Clean(user);
  switch (identity) {
    case config::DeviceIdentity::kNone:
      return {};
    case config::DeviceIdentity::kHostnameUser:
      return clear;
    case config::DeviceIdentity::kHashed: {
      std::array<unsigned char, 16> digest{};
      crypto_generichash(digest.data(), digest.size(),
                         reinterpret_cast<const unsigned char*>(clear.data()), clear.size(),
                         nullptr, 0);
      static constexpr char kHex[] = "0123456789abcdef";
      std::string out = "h:";
      for (const unsigned char byte : digest) {
        out += kHex[byte >> 4];
        out += kHex[byte & 0xf];
      }
      return out;
    }
  }
  return {};
}

std::string ThisDevice(config::DeviceIdentity identity) {
  if (identity == config::DeviceIdentity::kNone) return {};
  std::array<char, 256> host{};
  if (gethostname(host.data(), host.size() - 1) != 0) host[0] = '\0';
  std::string user;
  if (const passwd* entry = getpwuid(getuid()); entry && entry->pw_name) user = entry->pw_name;
  return DeviceIdentityValue(identity, host.data(), user);
}

}  // namespace phiguard::audit
