#pragma once
// Ed25519 keys for rule bundles (libsodium). Key files are text so they can be pasted into
// a policy: a public key is one line of base64; a secret key file starts with a comment
// line saying to keep it offline.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "util/error.h"

namespace phiguard::bundle {

struct PublicKey {
  std::array<unsigned char, 32> bytes{};
  std::string Base64() const;
};

struct SecretKey {
  std::array<unsigned char, 64> bytes{};  // libsodium's seed + public key
};

struct KeyPair {
  PublicKey public_key;
  SecretKey secret_key;
};

// Initialises libsodium once; false if the library cannot be used on this machine.
bool InitSodium();

KeyPair GenerateKeyPair();

// Accepts a .pub file's contents or the bare base64 a policy carries; '#' lines ignored.
util::Result<PublicKey> ParsePublicKey(std::string_view text);
util::Result<SecretKey> ParseSecretKey(std::string_view text);

std::string PublicKeyFileText(const PublicKey& key);
std::string SecretKeyFileText(const SecretKey& key);

// Base64 (standard alphabet, padded) helpers shared by keys and bundles.
std::string ToBase64(std::string_view bytes);
util::Result<std::string> FromBase64(std::string_view text);

}  // namespace phiguard::bundle
