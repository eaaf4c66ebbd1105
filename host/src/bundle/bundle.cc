#include "bundle/bundle.h"

#include <sodium.h>

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>

#include "rules/pack_loader.h"
#include "util/ascii.h"

namespace phiguard::bundle {
namespace {

using nlohmann::json;

constexpr std::string_view kFormat = "phiguard-bundle/1";

std::vector<std::string_view> SplitDots(std::string_view text) {
  std::vector<std::string_view> parts;
  std::size_t pos = 0;
  while (true) {
    const std::size_t dot = text.find('.', pos);
    parts.push_back(text.substr(pos, dot == std::string_view::npos ? dot : dot - pos));
    if (dot == std::string_view::npos) break;
    pos = dot + 1;
  }
  return parts;
}

bool AllDigits(std::string_view s) {
  return !s.empty() &&
         std::all_of(s.begin(), s.end(), [](char c) { return util::IsAsciiDigit(c); });
}

int CompareNumbers(std::string_view a, std::string_view b) {
  while (a.size() > 1 && a.front() == '0') a.remove_prefix(1);
  while (b.size() > 1 && b.front() == '0') b.remove_prefix(1);
  if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
  return a.compare(b) < 0 ? -1 : (a == b ? 0 : 1);
}

util::Error Malformed(std::string reason) { return util::Error{"bundle", std::move(reason)}; }

// The member `name` of `object` if it is a string, else null.
const json* StringMember(const json& object, const char* name) {
  const auto it = object.find(name);
  return it != object.end() && it->is_string() ? &*it : nullptr;
}

}  // namespace

int CompareVersions(std::string_view a, std::string_view b) {
  const auto left = SplitDots(a), right = SplitDots(b);
  for (std::size_t i = 0; i < std::max(left.size(), right.size()); ++i) {
    const std::string_view x = i < left.size() ? left[i] : "0";
    const std::string_view y = i < right.size() ? right[i] : "0";
    const int order = AllDigits(x) && AllDigits(y) ? CompareNumbers(x, y) : x.compare(y);
    if (order != 0) return order < 0 ? -1 : 1;
  }
  return 0;
}

bool IsValidVersion(std::string_view version) {
  if (version.empty() || version.size() > 64) return false;
  const auto parts = SplitDots(version);
  return std::all_of(parts.begin(), parts.end(), AllDigits);
}

util::Result<std::string> CreateBundle(const std::vector<PackFile>& packs,
                                       const std::string& version, const std::string& created,
                                       const KeyPair& signer) {
  if (!InitSodium()) return util::Error{"libsodium", "cannot initialise"};
  if (!IsValidVersion(version)) {
    return util::Error{"version", "must be numbers separated by dots, e.g. 2026.11.22"};
  }
  if (packs.empty() || packs.size() > kMaxBundlePacks) {
    return util::Error{"packs", "a bundle holds 1 to 64 packs"};
  }
  json payload = {{"version", version}, {"created", created}, {"packs", json::array()}};
  for (const auto& pack : packs) {
    payload["packs"].push_back({{"name", pack.name}, {"content", pack.content}});
  }
  return SignPayload(payload.dump(), signer);
}

util::Result<std::string> SignPayload(const std::string& bytes, const KeyPair& signer) {
  if (!InitSodium()) return util::Error{"libsodium", "cannot initialise"};
  std::array<unsigned char, crypto_sign_BYTES> signature{};
  crypto_sign_detached(signature.data(), nullptr,
                       reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                       signer.secret_key.bytes.data());
  const json envelope = {
      {"format", kFormat},
      {"payload", ToBase64(bytes)},
      {"signature", ToBase64(std::string_view(reinterpret_cast<const char*>(signature.data()),
                                              signature.size()))},
      {"key", signer.public_key.Base64()}};
  const std::string out = envelope.dump(1) + "\n";
  if (out.size() > kMaxBundleBytes) return util::Error{"bundle", "larger than 16 MiB"};
  return out;
}

util::Result<std::string> VerifySignature(std::string_view file_bytes,
                                          const std::vector<PublicKey>& trusted) {
  if (!InitSodium()) return util::Error{"libsodium", "cannot initialise"};
  if (file_bytes.size() > kMaxBundleBytes) return Malformed("larger than 16 MiB");
  const json envelope = json::parse(file_bytes, nullptr, /*allow_exceptions=*/false);
  if (envelope.is_discarded() || !envelope.is_object()) return Malformed("not a bundle file");
  const auto field = [&](const char* name) { return StringMember(envelope, name); };
  if (!field("format") || field("format")->get<std::string>() != kFormat) {
    return Malformed("unknown format (expected phiguard-bundle/1)");
  }
  if (!field("payload") || !field("signature")) return Malformed("missing payload or signature");
  auto payload = FromBase64(field("payload")->get<std::string>());
  auto signature = FromBase64(field("signature")->get<std::string>());
  if (!payload.ok() || !signature.ok() || signature.value().size() != crypto_sign_BYTES) {
    return Malformed("payload or signature is not valid base64");
  }
  if (trusted.empty()) return util::Error{"bundle", "no trusted keys are configured"};
  const auto* message = reinterpret_cast<const unsigned char*>(payload.value().data());
  const auto* sig = reinterpret_cast<const unsigned char*>(signature.value().data());
  const bool verified = std::any_of(trusted.begin(), trusted.end(), [&](const PublicKey& key) {
    return crypto_sign_verify_detached(sig, message, payload.value().size(), key.bytes.data()) == 0;
  });
  if (!verified) {
    return util::Error{"bundle",
                       "signature does not verify with any trusted key (tampered, or signed "
                       "with another key)"};
  }
  return std::move(payload).value();
}

util::Result<VerifiedBundle> VerifyBundle(std::string_view file_bytes,
                                          const std::vector<PublicKey>& trusted) {
  auto payload = VerifySignature(file_bytes, trusted);
  if (!payload.ok()) return payload.error();
  return ParseBundlePayload(payload.value());
}

std::string BundleDigest(std::string_view file_bytes) {
  InitSodium();
  std::array<unsigned char, crypto_hash_sha256_BYTES> digest{};
  crypto_hash_sha256(digest.data(), reinterpret_cast<const unsigned char*>(file_bytes.data()),
                     file_bytes.size());
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (const unsigned char byte : digest) {
    hex += kHex[byte >> 4];
    hex += kHex[byte & 0xF];
  }
  return hex;
}

util::Result<VerifiedBundle> ParseBundlePayload(std::string_view payload) {
  // Every field is read with its type checked: a signed payload is still data, and one
  // wrong type (a number for "created") once threw out of the updater thread and aborted
  // the host at every start.
  const json body = json::parse(payload, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded() || !body.is_object()) return Malformed("signed payload is not an object");
  const json* version = StringMember(body, "version");
  if (!version) return Malformed("signed payload: 'version' must be a string");
  VerifiedBundle bundle;
  bundle.version = version->get<std::string>();
  if (!IsValidVersion(bundle.version)) return Malformed("version is not dotted numbers");
  if (const auto created = body.find("created"); created != body.end()) {
    if (!created->is_string()) return Malformed("signed payload: 'created' must be a string");
    bundle.created = created->get<std::string>();
  }
  const auto packs = body.find("packs");
  if (packs == body.end() || !packs->is_array()) {
    return Malformed("signed payload: 'packs' must be a list");
  }
  if (packs->size() > kMaxBundlePacks) return Malformed("more than 64 packs");
  for (const auto& entry : *packs) {
    const json* name = entry.is_object() ? StringMember(entry, "name") : nullptr;
    const json* content = entry.is_object() ? StringMember(entry, "content") : nullptr;
    if (!name || !content) {
      return Malformed("signed payload: each of 'packs' needs string 'name' and 'content'");
    }
    auto pack = rules::ParsePack(content->get<std::string>(),
                                 "bundle " + bundle.version + ": " + name->get<std::string>());
    if (!pack.ok()) return pack.error();
    bundle.packs.push_back(std::move(pack).value());
  }
  return bundle;
}

}  // namespace phiguard::bundle
