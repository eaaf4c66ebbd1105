#include "bundle/signing_keys.h"

#include <sodium.h>

#include <cstring>
#include <mutex>

namespace phiguard::bundle {
namespace {

// The key material of a key file: the non-comment, non-blank lines joined.
std::string KeyMaterial(std::string_view text) {
  std::string material;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
    while (!line.empty() && line.front() == ' ') line.remove_prefix(1);
    if (!line.empty() && line.front() != '#') material += line;
    pos = end + 1;
  }
  return material;
}

}  // namespace

bool InitSodium() {
  static std::once_flag once;
  static bool ok = false;
  std::call_once(once, [] { ok = sodium_init() >= 0; });
  return ok;
}

std::string ToBase64(std::string_view bytes) {
  std::string out(sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                    bytes.size(), sodium_base64_VARIANT_ORIGINAL);
  out.resize(std::strlen(out.c_str()));
  return out;
}

util::Result<std::string> FromBase64(std::string_view text) {
  std::string out(text.size() / 4 * 3 + 3, '\0');
  std::size_t length = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(),
                        text.size(), nullptr, &length, nullptr,
                        sodium_base64_VARIANT_ORIGINAL) != 0) {
    return util::Error{{}, "not valid base64"};
  }
  out.resize(length);
  return out;
}

std::string PublicKey::Base64() const {
  return ToBase64(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

KeyPair GenerateKeyPair() {
  InitSodium();
  KeyPair pair;
  crypto_sign_keypair(pair.public_key.bytes.data(), pair.secret_key.bytes.data());
  return pair;
}

util::Result<PublicKey> ParsePublicKey(std::string_view text) {
  auto decoded = FromBase64(KeyMaterial(text));
  if (!decoded.ok()) return util::Error{"public key", "not valid base64"};
  if (decoded.value().size() != crypto_sign_PUBLICKEYBYTES) {
    return util::Error{"public key", "not an Ed25519 public key (32 bytes)"};
  }
  PublicKey key;
  std::memcpy(key.bytes.data(), decoded.value().data(), key.bytes.size());
  return key;
}

util::Result<SecretKey> ParseSecretKey(std::string_view text) {
  auto decoded = FromBase64(KeyMaterial(text));
  if (!decoded.ok() || decoded.value().size() != crypto_sign_SECRETKEYBYTES) {
    return util::Error{"secret key", "not an Ed25519 secret key file"};
  }
  SecretKey key;
  std::memcpy(key.bytes.data(), decoded.value().data(), key.bytes.size());
  sodium_memzero(decoded.value().data(), decoded.value().size());
  return key;
}

std::string PublicKeyFileText(const PublicKey& key) {
  return "# PHI Guard rule-signing public key (Ed25519). Trust it in config or policy.\n" +
         key.Base64() + "\n";
}

std::string SecretKeyFileText(const SecretKey& key) {
  return "# PHI Guard rule-signing SECRET key (Ed25519). Keep it offline; never commit it.\n" +
         ToBase64(
             std::string_view(reinterpret_cast<const char*>(key.bytes.data()), key.bytes.size())) +
         "\n";
}

}  // namespace phiguard::bundle
