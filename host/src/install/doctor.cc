#include "install/doctor.h"

#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <system_error>

namespace phiguard::install {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

bool AnyState(const std::vector<ManifestCheck>& checks, ManifestCheck::State state) {
  return std::any_of(checks.begin(), checks.end(),
                     [state](const ManifestCheck& c) { return c.state == state; });
}

bool AnyPresent(const std::vector<ManifestCheck>& checks) {
  return std::any_of(checks.begin(), checks.end(), [](const ManifestCheck& c) {
    return c.state != ManifestCheck::State::kMissing;
  });
}

void CheckHost(const json& manifest, const Environment& env, std::vector<std::string>& problems) {
  if (!manifest.contains("path") || !manifest["path"].is_string()) return;
  const fs::path host = manifest["path"].get<std::string>();
  if (!host.is_absolute()) return;  // already reported by ValidateManifest
  const auto on_disk = UnderRoot(host, env);
  std::error_code ec;
  if (!fs::is_regular_file(on_disk, ec) || ::access(on_disk.c_str(), X_OK) != 0) {
    problems.push_back("host '" + host.string() + "' is not an executable file");
  }
}

std::vector<ManifestCheck> CheckScope(Browser browser, Scope scope, const ExtensionIds& expected,
                                      const Environment& env) {
  // --root stages system files only; a user-level manifest names a real program.
  Environment host_env = env;
  if (scope == Scope::kUser) host_env.root.clear();
  std::vector<ManifestCheck> checks;
  for (const auto& location : LocationsFor(browser, env.os, scope)) {
    checks.push_back(
        CheckManifestFile(ManifestFile(location, env), Info(browser).family, expected, host_env));
  }
  return checks;
}

const char* StateName(ManifestCheck::State state) {
  switch (state) {
    case ManifestCheck::State::kMissing:
      return "missing";
    case ManifestCheck::State::kValid:
      return "valid";
    case ManifestCheck::State::kInvalid:
      return "INVALID";
  }
  return "?";
}

void FormatChecks(std::ostringstream& out, const char* scope,
                  const std::vector<ManifestCheck>& checks) {
  for (const auto& check : checks) {
    out << "  " << scope << "  " << StateName(check.state) << "  " << check.file.string() << "\n";
    for (const auto& problem : check.problems) out << "      " << problem << "\n";
  }
}

json ChecksJson(const std::vector<ManifestCheck>& checks) {
  json array = json::array();
  for (const auto& check : checks) {
    array.push_back({{"file", check.file.string()},
                     {"state", check.state == ManifestCheck::State::kMissing ? "missing"
                               : check.state == ManifestCheck::State::kValid ? "valid"
                                                                             : "invalid"},
                     {"problems", check.problems}});
  }
  return array;
}

}  // namespace

bool BrowserDiagnosis::HasUserManifest() const { return AnyPresent(user); }
bool BrowserDiagnosis::HasSystemManifest() const { return AnyPresent(system); }
bool BrowserDiagnosis::HasValidManifest() const {
  return AnyState(user, ManifestCheck::State::kValid) ||
         AnyState(system, ManifestCheck::State::kValid);
}
bool BrowserDiagnosis::HasInvalidManifest() const {
  return AnyState(user, ManifestCheck::State::kInvalid) ||
         AnyState(system, ManifestCheck::State::kInvalid);
}

ManifestCheck CheckManifestFile(const fs::path& file, Family family, const ExtensionIds& expected,
                                const Environment& env) {
  ManifestCheck check{file, ManifestCheck::State::kMissing, {}};
  std::error_code ec;
  if (!fs::exists(file, ec)) return check;
  check.state = ManifestCheck::State::kInvalid;
  std::ifstream in(file, std::ios::binary);
  const json manifest = json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (manifest.is_discarded()) {
    check.problems.push_back("not valid JSON");
    return check;
  }
  check.problems = ValidateManifest(manifest, family, expected);
  CheckHost(manifest, env, check.problems);
  if (check.problems.empty()) check.state = ManifestCheck::State::kValid;
  return check;
}

std::vector<BrowserDiagnosis> Diagnose(const std::vector<Browser>& browsers, bool user, bool system,
                                       const ExtensionIds& expected, const Environment& env) {
  std::vector<BrowserDiagnosis> result;
  for (const Browser browser : browsers) {
    BrowserDiagnosis diagnosis{browser, {}, {}};
    if (user) diagnosis.user = CheckScope(browser, Scope::kUser, expected, env);
    if (system) diagnosis.system = CheckScope(browser, Scope::kSystem, expected, env);
    result.push_back(std::move(diagnosis));
  }
  return result;
}

std::string FormatDiagnosis(const std::vector<BrowserDiagnosis>& diagnosis, bool all) {
  std::ostringstream out;
  for (const auto& d : diagnosis) {
    const auto& info = Info(d.browser);
    if (!all && !d.HasUserManifest() && !d.HasSystemManifest()) {
      out << info.name << ": no manifest\n";
      continue;
    }
    out << info.name << " (" << info.display << ")\n";
    FormatChecks(out, "system", d.system);
    FormatChecks(out, "user  ", d.user);
    if (d.UserShadowsSystem()) {
      out << "  WARNING: the user-level manifest shadows the system one (the browser reads "
             "user-level first)"
          << (info.family == Family::kChromium
                  ? "; set the NativeMessagingUserLevelHosts policy to false"
                  : "; remove it with 'phiguard uninstall --user'")
          << "\n";
    }
  }
  return out.str();
}

json DiagnosisJson(const std::vector<BrowserDiagnosis>& diagnosis) {
  json array = json::array();
  for (const auto& d : diagnosis) {
    array.push_back({{"browser", Info(d.browser).name},
                     {"user", ChecksJson(d.user)},
                     {"system", ChecksJson(d.system)},
                     {"user_shadows_system", d.UserShadowsSystem()},
                     {"valid", d.HasValidManifest() && !d.HasInvalidManifest()}});
  }
  return array;
}

}  // namespace phiguard::install
