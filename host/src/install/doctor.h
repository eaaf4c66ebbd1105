#pragma once
// `phiguard doctor`: for each browser, is a manifest there, is it valid, does it name an
// executable host, and does a user-level manifest shadow the system one. Browsers read the
// user-level location first, so a same-named user manifest decides which program runs, even
// a fake that answers "clean", unless policy turns user-level hosts off.

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "install/environment.h"
#include "install/host_manifest.h"

namespace phiguard::install {

struct ManifestCheck {
  std::filesystem::path file;
  enum class State { kMissing, kValid, kInvalid } state = State::kMissing;
  std::vector<std::string> problems;  // manifest problems, then host problems
};

struct BrowserDiagnosis {
  Browser browser;
  std::vector<ManifestCheck> user;
  std::vector<ManifestCheck> system;

  bool HasUserManifest() const;
  bool HasSystemManifest() const;
  bool HasValidManifest() const;
  bool HasInvalidManifest() const;
  // A user-level manifest exists next to a system-level one: the browser will use the user one.
  bool UserShadowsSystem() const { return HasUserManifest() && HasSystemManifest(); }
};

// Reads and checks one manifest file; `env.root` applies to the host path it names.
ManifestCheck CheckManifestFile(const std::filesystem::path& file, Family family,
                                const ExtensionIds& expected, const Environment& env);

// Every location of every browser in `browsers`, for the scopes asked for.
std::vector<BrowserDiagnosis> Diagnose(const std::vector<Browser>& browsers, bool user, bool system,
                                       const ExtensionIds& expected, const Environment& env);

// Human-readable report, one block per browser that has any manifest (or every browser in
// `browsers` when `all` is set).
std::string FormatDiagnosis(const std::vector<BrowserDiagnosis>& diagnosis, bool all);
nlohmann::json DiagnosisJson(const std::vector<BrowserDiagnosis>& diagnosis);

}  // namespace phiguard::install
