#pragma once
// `phiguard doctor`: for each browser, is a manifest there, is it valid, does it name an
// executable host, and does a user-level manifest shadow the system one. Browsers read the
// user-level location first, so a same-named user manifest decides which program runs, even
// a fake that answers "clean", unless policy turns user-level hosts off.
//
// With a HostProber it also starts each host a manifest names, as the browser would, and
// holds it to a canary post (install/host_probe.h); and it checks the machine's
// configuration file and reports the rule sources in force.

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "install/environment.h"
#include "install/host_manifest.h"
#include "install/host_probe.h"

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

// Reads and checks one manifest file; `env.root` applies to the host path it names. With a
// `prober`, an executable host is also started and must block the canary.
ManifestCheck CheckManifestFile(const std::filesystem::path& file, Family family,
                                const ExtensionIds& expected, const Environment& env,
                                HostProber* prober = nullptr);

// Every location of every browser in `browsers`, for the scopes asked for.
std::vector<BrowserDiagnosis> Diagnose(const std::vector<Browser>& browsers, bool user, bool system,
                                       const ExtensionIds& expected, const Environment& env,
                                       HostProber* prober = nullptr);

// The machine configuration file (config/host_config.h), checked field by field so that
// every unknown or mistyped field is named, not just the first.
struct ConfigCheck {
  std::filesystem::path file;  // as the host reads it
  bool present = false;
  std::vector<std::string> problems;  // one per field, "<file>: <reason>"
  std::filesystem::path rules_dir;    // system packs folder it names (or the default)
  std::string bundle;                 // bundle_url or bundle_path, empty for none
  bool floor_waived = false;          // allow_below_protection_floor
};
ConfigCheck CheckConfigFile(const std::filesystem::path& file, const Environment& env);

// The whole of `phiguard doctor`.
struct DoctorReport {
  std::vector<BrowserDiagnosis> browsers;
  std::vector<HostProbe> hosts;  // every host a manifest names, started once each
  ConfigCheck config;
  std::vector<std::string> sources;   // rule sources in force, one line each
  std::vector<std::string> problems;  // one line each: what is wrong, and how to fix it
  bool ok() const { return problems.empty(); }
};

// Fills `sources` and `problems` from the rest. `must_have`: a browser without a valid
// manifest is a problem.
void Conclude(DoctorReport& report, bool must_have, const Environment& env);

std::string FormatReport(const DoctorReport& report, bool all);
nlohmann::json ReportJson(const DoctorReport& report);

// Human-readable report, one block per browser that has any manifest (or every browser in
// `browsers` when `all` is set).
std::string FormatDiagnosis(const std::vector<BrowserDiagnosis>& diagnosis, bool all);
nlohmann::json DiagnosisJson(const std::vector<BrowserDiagnosis>& diagnosis);

}  // namespace phiguard::install
