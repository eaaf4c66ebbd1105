#pragma once
// Signed rule bundles: one file holding packs, a version, a creation time and an Ed25519
// signature. Compliance builds them with `phiguard rules bundle --sign`; hosts accept them
// only when the signature verifies with a key from system configuration or policy.
//
// Format (text, so it survives mail and web servers):
//   {"format":"phiguard-bundle/1",
//    "payload":"<base64 of the payload JSON bytes>",
//    "signature":"<base64 Ed25519 signature over exactly those bytes>",
//    "key":"<base64 public key of the signer; informational, never trusted>"}
// Payload: {"version":"2026.11.22","created":"2026-11-22T12:00:00Z",
//           "packs":[{"name":"org-policy.json","content":"<pack JSON text>"}]}
// Signing the payload bytes, not a re-serialised object, means no JSON canonicalisation
// can ever make a signature verify over something other than what was signed.

#include <string>
#include <string_view>
#include <vector>

#include "bundle/signing_keys.h"
#include "rules/rule.h"
#include "util/error.h"

namespace phiguard::bundle {

inline constexpr std::size_t kMaxBundleBytes = 16 * 1024 * 1024;
inline constexpr std::size_t kMaxBundlePacks = 64;

struct PackFile {
  std::string name;     // file name, for messages
  std::string content;  // the pack's JSON text
};

struct VerifiedBundle {
  std::string version;
  std::string created;
  std::vector<rules::Pack> packs;  // parsed, sources named "bundle VERSION: NAME"
};

// Compares dotted versions numerically part by part; missing parts count as 0, so
// 1.0 == 1.0.0 and 1.10 > 1.9. Returns <0, 0 or >0. Non-numeric parts compare as text.
int CompareVersions(std::string_view a, std::string_view b);

// True for versions made of numbers separated by dots, e.g. "2026.11.22" or "3.1.0".
bool IsValidVersion(std::string_view version);

// The bundle file text for `packs`, signed with `secret`.
util::Result<std::string> CreateBundle(const std::vector<PackFile>& packs,
                                       const std::string& version, const std::string& created,
                                       const KeyPair& signer);

// The bundle file text for payload bytes made by the caller, signed with `signer` (tests
// use it to sign payloads CreateBundle would never write).
util::Result<std::string> SignPayload(const std::string& payload, const KeyPair& signer);

// Checks the envelope, verifies the signature with any of `trusted` (never the key inside
// the bundle), then parses every pack. Errors say which step failed.
util::Result<VerifiedBundle> VerifyBundle(std::string_view file_bytes,
                                          const std::vector<PublicKey>& trusted);

// The envelope checks and the signature alone: the verified payload bytes, or why not.
util::Result<std::string> VerifySignature(std::string_view file_bytes,
                                          const std::vector<PublicKey>& trusted);

// SHA-256 of a bundle file, hex: how the updater remembers a bundle it rejected.
std::string BundleDigest(std::string_view file_bytes);

// The signed payload's fields and packs, every field type-checked: a wrong type is an
// error naming the field, never an exception. VerifyBundle calls it after the signature.
util::Result<VerifiedBundle> ParseBundlePayload(std::string_view payload);

}  // namespace phiguard::bundle
