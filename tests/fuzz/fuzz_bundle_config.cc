// libFuzzer target: what a host parses from outside before any rule compiles, on arbitrary
// bytes: the machine configuration (/etc/phiguard/config.json), a bundle envelope, and a
// bundle's signed payload (once signed with a trusted key, so the payload parser is reached
// the way the updater reaches it). The first byte picks the parser; the rest is its input.
// Properties: no crash and no exception (a wrong type once threw out of the updater thread
// and aborted the host); every refusal says why; an accepted bundle has a dotted version
// and at most 64 packs.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "bundle/bundle.h"
#include "config/host_config.h"
#include "fuzz_support.h"

namespace {

using namespace phiguard;

const bundle::KeyPair& SigningKeys() {
  static const bundle::KeyPair keys = bundle::GenerateKeyPair();
  return keys;
}

void CheckBundle(const util::Result<bundle::VerifiedBundle>& verified) {
  if (!verified.ok()) {
    fuzz::Check(!verified.error().reason.empty(), "a refused bundle says why");
    return;
  }
  fuzz::Check(bundle::IsValidVersion(verified.value().version), "an accepted version is dotted");
  fuzz::Check(verified.value().packs.size() <= bundle::kMaxBundlePacks, "at most 64 packs",
              verified.value().packs.size());
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  phiguard::fuzz::QuietLogs();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view input(reinterpret_cast<const char*>(data + 1), size - 1);
  switch (data[0] % 4) {
    case 0: {
      const auto config = config::ParseHostConfig(input, "fuzz-config.json");
      if (!config.ok()) fuzz::Check(!config.error().reason.empty(), "a refused config says why");
      break;
    }
    case 1:
      CheckBundle(bundle::ParseBundlePayload(input));
      break;
    case 2:
      CheckBundle(bundle::VerifyBundle(input, {SigningKeys().public_key}));
      break;
    default: {
      const auto file = bundle::SignPayload(std::string(input), SigningKeys());
      if (file.ok()) CheckBundle(bundle::VerifyBundle(file.value(), {SigningKeys().public_key}));
      break;
    }
  }
  return 0;
}
