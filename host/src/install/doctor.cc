#include "install/doctor.h"

#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>
#include <system_error>

#include "config/host_config.h"
#include "util/bounded_file.h"
#include "util/paths.h"

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

void CheckHost(const fs::path& file, Family family, const json& manifest,
               const ExtensionIds& expected, const Environment& env, HostProber* prober,
               std::vector<std::string>& problems) {
  if (!manifest.contains("path") || !manifest["path"].is_string()) return;
  const fs::path host = manifest["path"].get<std::string>();
  if (!host.is_absolute()) return;  // already reported by ValidateManifest
  const auto on_disk = UnderRoot(host, env);
  std::error_code ec;
  if (!fs::is_regular_file(on_disk, ec) || ::access(on_disk.c_str(), X_OK) != 0) {
    problems.push_back("host '" + host.string() + "' is not an executable file");
    return;
  }
  // A manifest with our name and extension id that starts another program (`/bin/cat`, a
  // script answering "clean") was reported valid when not started. The path must be the
  // installed phiguard-host (the same file, so links to it pass), and anything else is
  // not started either: doctor often runs as root.
  if (!env.installed_host.empty() && !fs::equivalent(on_disk, env.installed_host, ec)) {
    problems.push_back("host '" + host.string() + "' is not the installed phiguard-host (" +
                       env.installed_host.string() + "); not started");
    return;
  }
  if (prober == nullptr) return;
  const auto& probe = prober->Probe(host, on_disk, BrowserArguments(family, file, expected));
  problems.insert(problems.end(), probe.problems.begin(), probe.problems.end());
}

std::size_t CountPacks(const fs::path& dir) {
  std::error_code ec;
  std::size_t count = 0;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->path().extension() == ".json") ++count;
  }
  return count;
}

// The updater's last check as it wrote it (update/bundle_updater.h: bundle.status in this
// user's state folder), in words: the only place a stalled or refusing updater shows
// without reading logs. Empty when no check has run for this user.
std::string LastBundleCheck() {
  const auto state = util::StateDir();
  if (state.empty()) return {};
  auto content = util::ReadFileBounded(state / "bundle.status", 64 * 1024);
  if (!content.ok()) return {};
  const auto status = nlohmann::json::parse(content.value(), nullptr, false);
  if (!status.is_object()) return "unreadable (" + (state / "bundle.status").string() + ")";
  const auto text = [&](const char* key) {
    const auto it = status.find(key);
    return it != status.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  std::string line = text("outcome");
  if (!text("version").empty()) line += " " + text("version");
  if (!text("reason").empty()) line += ": " + text("reason");
  line += " (checked " +
          (text("checked").empty() ? std::string("at an unknown time") : text("checked")) + ")";
  return line;
}

std::string FolderSummary(const fs::path& shown, const fs::path& on_disk) {
  std::error_code ec;
  if (!fs::is_directory(on_disk, ec)) return shown.string() + " (absent)";
  return shown.string() + " (" + std::to_string(CountPacks(on_disk)) + " packs)";
}

std::vector<ManifestCheck> CheckScope(Browser browser, Scope scope, const ExtensionIds& expected,
                                      const Environment& env, HostProber* prober) {
  // --root stages system files only; a user-level manifest names a real program.
  Environment host_env = env;
  if (scope == Scope::kUser) host_env.root.clear();
  std::vector<ManifestCheck> checks;
  for (const auto& location : LocationsFor(browser, env.os, scope)) {
    checks.push_back(CheckManifestFile(ManifestFile(location, env), Info(browser).family, expected,
                                       host_env, prober));
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
                                const Environment& env, HostProber* prober) {
  ManifestCheck check{file, ManifestCheck::State::kMissing, {}};
  std::error_code ec;
  if (!fs::exists(file, ec)) return check;
  check.state = ManifestCheck::State::kInvalid;
  // Size checked before reading: a user-level manifest is the user's file, and doctor often
  // runs as root.
  const auto text = util::ReadFileBounded(file, util::kMaxConfigFileBytes);
  if (!text.ok()) {
    check.problems.push_back(text.error().reason);
    return check;
  }
  const json manifest = json::parse(text.value(), nullptr, /*allow_exceptions=*/false);
  if (manifest.is_discarded()) {
    check.problems.push_back("not valid JSON");
    return check;
  }
  check.problems = ValidateManifest(manifest, family, expected);
  CheckHost(file, family, manifest, expected, env, prober, check.problems);
  if (check.problems.empty()) check.state = ManifestCheck::State::kValid;
  return check;
}

std::vector<BrowserDiagnosis> Diagnose(const std::vector<Browser>& browsers, bool user, bool system,
                                       const ExtensionIds& expected, const Environment& env,
                                       HostProber* prober) {
  std::vector<BrowserDiagnosis> result;
  for (const Browser browser : browsers) {
    BrowserDiagnosis diagnosis{browser, {}, {}};
    if (user) diagnosis.user = CheckScope(browser, Scope::kUser, expected, env, prober);
    if (system) diagnosis.system = CheckScope(browser, Scope::kSystem, expected, env, prober);
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

ConfigCheck CheckConfigFile(const fs::path& file, const Environment& env) {
  ConfigCheck check;
  check.file = file;
  const auto on_disk = UnderRoot(file, env);
  std::error_code ec;
  config::HostConfig defaults;
  check.rules_dir = defaults.rules_dir;
  if (!fs::exists(on_disk, ec)) return check;
  check.present = true;
  // The host's own reader and parser: the same size limit, and every ignored field named.
  auto content = util::ReadFileBounded(on_disk, util::kMaxConfigFileBytes);
  if (!content.ok()) {
    check.problems.push_back(file.string() + ": " + content.error().reason);
    return check;
  }
  const auto parsed = config::ParseHostConfig(content.value(), file.string());
  if (!parsed.ok()) {
    check.problems.push_back(parsed.error().Describe());
    return check;
  }
  for (const auto& problem : parsed.value().problems) {
    check.problems.push_back(file.string() + ": " + problem);
  }
  check.rules_dir = parsed.value().rules_dir;
  check.floor_waived = parsed.value().allow_below_protection_floor;
  check.bundle = !parsed.value().bundle_url.empty() ? parsed.value().bundle_url
                                                    : parsed.value().bundle_path.string();
  return check;
}

void Conclude(DoctorReport& report, bool must_have, const Environment& env) {
  std::set<std::string> host_problems;
  for (const auto& host : report.hosts) {
    host_problems.insert(host.problems.begin(), host.problems.end());
  }
  auto& problems = report.problems;
  for (const auto& d : report.browsers) {
    const auto& info = Info(d.browser);
    const auto add_manifest_problems = [&](const std::vector<ManifestCheck>& checks, bool user) {
      for (const auto& check : checks) {
        for (const auto& problem : check.problems) {
          if (host_problems.contains(problem)) continue;  // said once, for the host, below
          problems.push_back(check.file.string() + ": " + problem + "; fix: " +
                             (user ? "run 'phiguard install --user --browser " +
                                         std::string(info.name) +
                                         "' to rewrite it, or 'phiguard uninstall --user'"
                                   : "reinstall the package, or run 'phiguard install --system "
                                     "--browser " +
                                         std::string(info.name) + "'"));
        }
      }
    };
    add_manifest_problems(d.system, false);
    add_manifest_problems(d.user, true);
    if (d.UserShadowsSystem()) {
      problems.push_back(std::string(info.name) +
                         ": a user-level manifest shadows the system one; fix: " +
                         (info.family == Family::kChromium
                              ? "set the NativeMessagingUserLevelHosts policy to false"
                              : "remove it with 'phiguard uninstall --user'"));
    }
    if (must_have && !d.HasValidManifest() && !d.HasInvalidManifest()) {
      problems.push_back(std::string(info.name) +
                         ": no host manifest; fix: install the package, or run 'phiguard "
                         "install --system --browser " +
                         std::string(info.name) + "'");
    }
  }
  // Each host problem once, with the manifests that name that host.
  for (const auto& host : report.hosts) {
    std::vector<std::string> named_by;
    for (const auto& d : report.browsers) {
      for (const auto* checks : {&d.system, &d.user}) {
        for (const auto& check : *checks) {
          if (!host.problems.empty() && std::find(check.problems.begin(), check.problems.end(),
                                                  host.problems.front()) != check.problems.end()) {
            named_by.push_back(check.file.string());
          }
        }
      }
    }
    for (const auto& problem : host.problems) {
      std::string line = problem;
      if (!named_by.empty()) {
        line += " [named by " + named_by.front() +
                (named_by.size() > 1 ? " and " + std::to_string(named_by.size() - 1) + " more"
                                     : std::string()) +
                "]";
      }
      problems.push_back(std::move(line));
    }
  }
  for (const auto& problem : report.config.problems) {
    // A bad field is ignored on its own; a file that is not a JSON object (or too large to
    // read) is ignored whole.
    const bool one_field = problem.find(" is ignored") != std::string::npos;
    problems.push_back(problem +
                       "; fix: correct or remove the field (docs/it-guide.md lists them)" +
                       (one_field ? "; the rest of the file is in force"
                                  : "; until then the host ignores the file and runs with "
                                    "built-in rules only"));
  }

  // Rule sources, in the host's order of precedence (engine/rule_manager.h).
  auto& sources = report.sources;
  for (const auto& host : report.hosts) {
    if (!host.answered) continue;
    const auto packs = host.program.parent_path().parent_path() / "share/phiguard/rules/packs";
    sources.push_back("built-in packs: " + FolderSummary(packs, UnderRoot(packs, env)) + " (for " +
                      host.program.string() + ")");
  }
  sources.push_back("system packs: " + FolderSummary(report.config.rules_dir,
                                                     UnderRoot(report.config.rules_dir, env)));
  std::string in_force;
  for (const auto& host : report.hosts) {
    if (const auto at = host.rules_version.find("+bundle@"); at != std::string::npos) {
      in_force = host.rules_version.substr(at + 8);
    }
  }
  sources.push_back("signed bundle: " +
                    (report.config.bundle.empty()
                         ? std::string("none configured")
                         : report.config.bundle + " (" +
                               (in_force.empty() ? std::string("none accepted yet")
                                                 : "version " + in_force + " in force") +
                               ")"));
  if (!report.config.bundle.empty()) {
    const auto last = LastBundleCheck();
    sources.push_back("last bundle check for this user: " +
                      (last.empty() ? std::string("none yet") : last));
  }
  sources.push_back(
      "organisation rules: from browser policy when the extension connects (not checked here)");
  // Said even on a healthy machine: IT should see at a glance that a bundle may remove the
  // SSN, MRN, plan ID and name rules here.
  sources.push_back(
      report.config.floor_waived
          ? "protection floor: WAIVED (allow_below_protection_floor): a bundle or "
            "system pack may remove SSN, MRN, plan ID and name detection"
          : "protection floor: enforced (SSN, MRN, plan IDs, names linked to health)");
}

std::string FormatReport(const DoctorReport& report, bool all) {
  std::ostringstream out;
  out << FormatDiagnosis(report.browsers, all);
  for (const auto& host : report.hosts) {
    out << "host " << host.program.string() << ": ";
    if (!host.answered) {
      out << "NOT WORKING\n";
      continue;
    }
    out << "phiguard-host " << host.host_version << ", rules " << host.rules_version << " ("
        << host.packs.size() << " packs), canary post: "
        << (host.verdict.empty() ? std::string("no result") : host.verdict) << "\n";
  }
  out << "config " << report.config.file.string() << ": "
      << (!report.config.present           ? "absent (built-in defaults)"
          : report.config.problems.empty() ? "valid"
                                           : "INVALID")
      << "\n";
  out << "rule sources:\n";
  for (const auto& source : report.sources) out << "  " << source << "\n";
  if (report.ok()) {
    out << "OK: no problems\n";
  } else {
    out << report.problems.size() << (report.problems.size() == 1 ? " problem:\n" : " problems:\n");
    for (const auto& problem : report.problems) out << "PROBLEM: " << problem << "\n";
  }
  return out.str();
}

json ReportJson(const DoctorReport& report) {
  json hosts = json::array();
  for (const auto& host : report.hosts) {
    hosts.push_back({{"path", host.program.string()},
                     {"answered", host.answered},
                     {"host_version", host.host_version},
                     {"rules_version", host.rules_version},
                     {"rules_error", host.rules_error},
                     {"packs", host.packs},
                     {"canary_verdict", host.verdict},
                     {"problems", host.problems}});
  }
  return {{"ok", report.ok()},
          {"browsers", DiagnosisJson(report.browsers)},
          {"hosts", hosts},
          {"config",
           {{"file", report.config.file.string()},
            {"present", report.config.present},
            {"valid", report.config.problems.empty()},
            {"problems", report.config.problems}}},
          {"sources", report.sources},
          {"problems", report.problems}};
}

}  // namespace phiguard::install
