// `phiguard rules keygen | bundle | verify`: from tested packs to a signed bundle that
// every host accepts, and a check of a bundle against the keys a host would trust.

#include <sys/stat.h>

#include <chrono>
#include <ctime>
#include <fstream>
#include <iostream>
#include <sstream>

#include "bundle/bundle.h"
#include "cache/system_first_store.h"
#include "cli/commands.h"
#include "engine/rule_checker.h"
#include "engine/rule_loading.h"
#include "engine/rule_manager.h"
#include "rules/pack_loader.h"
#include "util/paths.h"

namespace phiguard::cli {
namespace {

std::optional<std::string> ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

bool WriteNew(const std::string& path, const std::string& text, mode_t mode) {
  std::error_code ec;
  if (std::filesystem::exists(path, ec)) {
    std::cerr << "phiguard: '" << path << "' exists; refusing to overwrite a key\n";
    return false;
  }
  {
    std::ofstream out(path, std::ios::binary);
    if (!(out << text)) {
      std::cerr << "phiguard: cannot write '" << path << "'\n";
      return false;
    }
  }
  ::chmod(path.c_str(), mode);
  return true;
}

std::string NowUtc() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm utc{};
  gmtime_r(&now, &utc);
  char buffer[32];
  std::strftime(buffer, sizeof(buffer), "%Y-%m-%dT%H:%M:%SZ", &utc);
  return buffer;
}

int RunKeygen(const std::string& out) {
  if (!bundle::InitSodium()) return kExitUsage;
  const auto pair = bundle::GenerateKeyPair();
  // The secret key first, owner-only: if it cannot be written safely, nothing is.
  if (!WriteNew(out + ".key", bundle::SecretKeyFileText(pair.secret_key), 0600)) return kExitUsage;
  if (!WriteNew(out + ".pub", bundle::PublicKeyFileText(pair.public_key), 0644)) return kExitUsage;
  std::cout << "public key: " << pair.public_key.Base64() << "\nwrote " << out << ".key (keep it "
            << "offline) and " << out << ".pub\n";
  return kExitClean;
}

// Composes the packs over this installation's built-in packs as a host would and says on
// stderr when the result is below the protection floor (engine/protection_floor.h): hosts
// refuse such a bundle unless their configuration allows it, which compliance should learn
// here rather than from every host's log. A warning, not a refusal: IT may have waived it.
void WarnBelowFloor(const std::vector<rules::Pack>& packs, const std::string& version) {
  auto builtin = rules::LoadPackDirectory(util::BuiltinRulesDir());
  if (!builtin.ok()) {
    std::cerr << "phiguard: warning: protection floor not checked (no built-in packs: "
              << builtin.error().Describe() << ")\n";
    return;
  }
  engine::RuleInputs inputs;
  inputs.builtin = std::move(builtin).value();
  engine::RuleManager manager(
      std::move(inputs), scan::BuildOptions{.cache = cache::SystemFirstStore::ForThisMachine()});
  auto composed = manager.ReplaceBundle(packs, version);
  if (composed.ok()) return;
  if (composed.error().where.starts_with("protection floor")) {
    std::cerr << "phiguard: warning: hosts will refuse this bundle unless their configuration "
                 "sets allow_below_protection_floor: "
              << composed.error().Describe() << "\n";
  } else {
    std::cerr << "phiguard: warning: over this installation's built-in packs, hosts will "
                 "refuse this bundle: "
              << composed.error().Describe() << "\n";
  }
}

struct BundleOptions {
  std::string key_file;
  std::string version;
  std::string out;
  std::vector<std::string> packs;
};

int RunBundle(const BundleOptions& options) {
  auto secret_text = ReadText(options.key_file);
  if (!secret_text) {
    std::cerr << "phiguard: cannot read '" << options.key_file << "'\n";
    return kExitUsage;
  }
  auto secret = bundle::ParseSecretKey(*secret_text);
  if (!secret.ok()) {
    std::cerr << "phiguard: " << options.key_file << ": " << secret.error().reason << "\n";
    return kExitUsage;
  }
  std::vector<std::filesystem::path> paths(options.packs.begin(), options.packs.end());
  auto packs = engine::LoadPacksFromPaths(paths);
  if (!packs.ok()) {
    std::cerr << "phiguard: " << packs.error().Describe() << "\n";
    return kExitUsage;
  }
  // Sign only what passes its own checks: a host would reject it anyway, later and far away.
  const auto report = engine::CheckPacks(packs.value());
  if (report.errors() > 0) {
    for (const auto& p : report.problems) {
      if (p.level == engine::CheckProblem::Level::kError) {
        std::cerr << p.where << ": error: " << p.message << "\n";
      }
    }
    std::cerr << "phiguard: not signed: " << report.errors() << " errors in the packs\n";
    return kExitFindings;
  }
  WarnBelowFloor(packs.value(), options.version);
  std::vector<bundle::PackFile> files;
  for (const auto& pack : packs.value()) {
    auto text = ReadText(pack.source);
    if (!text) return kExitUsage;
    files.push_back({std::filesystem::path(pack.source).filename().string(), *text});
  }
  bundle::KeyPair signer;
  signer.secret_key = secret.value();
  std::copy_n(secret.value().bytes.begin() + 32, 32, signer.public_key.bytes.begin());
  auto bundle_text = bundle::CreateBundle(files, options.version, NowUtc(), signer);
  if (!bundle_text.ok()) {
    std::cerr << "phiguard: " << bundle_text.error().Describe() << "\n";
    return kExitUsage;
  }
  const std::string out =
      options.out.empty() ? "phiguard-" + options.version + ".bundle" : options.out;
  std::ofstream file(out, std::ios::binary | std::ios::trunc);
  if (!(file << bundle_text.value())) {
    std::cerr << "phiguard: cannot write '" << out << "'\n";
    return kExitUsage;
  }
  std::cout << "signed " << files.size() << " packs (" << report.rules << " rules) as version "
            << options.version << ": " << out << "\n";
  return kExitClean;
}

struct VerifyOptions {
  std::vector<std::string> keys;
  std::string bundle;
};

int RunVerify(const VerifyOptions& options) {
  std::vector<bundle::PublicKey> trusted;
  for (const auto& key : options.keys) {
    auto text = ReadText(key);
    auto parsed = bundle::ParsePublicKey(text ? *text : key);  // a file or the bare base64
    if (!parsed.ok()) {
      std::cerr << "phiguard: " << key << ": " << parsed.error().reason << "\n";
      return kExitUsage;
    }
    trusted.push_back(parsed.value());
  }
  auto bytes = ReadText(options.bundle);
  if (!bytes) {
    std::cerr << "phiguard: cannot read '" << options.bundle << "'\n";
    return kExitUsage;
  }
  auto verified = bundle::VerifyBundle(*bytes, trusted);
  if (!verified.ok()) {
    std::cout << options.bundle << ": invalid: " << verified.error().Describe() << "\n";
    return kExitFindings;
  }
  std::cout << options.bundle << ": valid, version " << verified.value().version << ", created "
            << verified.value().created << "\n";
  for (const auto& pack : verified.value().packs) {
    std::cout << "  " << pack.id << "@" << pack.version << ": " << pack.rules.size() << " rules\n";
  }
  return kExitClean;
}

}  // namespace

void AddBundleCommands(CLI::App& rules, int& exit_code) {
  auto keygen_out = std::make_shared<std::string>();
  auto* keygen = rules.add_subcommand("keygen", "Make an Ed25519 key pair for signing bundles");
  keygen->add_option("--out", *keygen_out, "Path prefix: writes PREFIX.key and PREFIX.pub")
      ->required();
  keygen->callback([keygen_out, &exit_code] { exit_code = RunKeygen(*keygen_out); });

  auto bundle_options = std::make_shared<BundleOptions>();
  auto* bundle = rules.add_subcommand(
      "bundle", "Check packs and sign them into one bundle file for publishing");
  bundle->add_option("--sign", bundle_options->key_file, "Secret key file from `rules keygen`")
      ->required();
  bundle
      ->add_option("--version", bundle_options->version,
                   "Bundle version, dotted numbers; hosts only move to higher versions")
      ->required();
  bundle->add_option("--out", bundle_options->out, "Output file (default phiguard-VERSION.bundle)");
  bundle->add_option("packs", bundle_options->packs, "Pack files or folders")->required();
  bundle->callback([bundle_options, &exit_code] { exit_code = RunBundle(*bundle_options); });

  auto verify_options = std::make_shared<VerifyOptions>();
  auto* verify = rules.add_subcommand(
      "verify", "Verify a bundle's signature with trusted public keys and list its packs");
  verify->add_option("--key", verify_options->keys, "Trusted public key (file or base64)")
      ->required();
  verify->add_option("bundle", verify_options->bundle, "Bundle file")->required();
  verify->callback([verify_options, &exit_code] { exit_code = RunVerify(*verify_options); });
}

}  // namespace phiguard::cli
