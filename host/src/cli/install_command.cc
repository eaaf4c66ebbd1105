// `phiguard install`, `phiguard uninstall` and `phiguard doctor`: register the native host with
// the browsers, remove it, and check what a browser will find. Packages run the first two; IT
// and support run the third.

#include <chrono>
#include <iostream>
#include <memory>
#include <sstream>

#include "cli/commands.h"
#include "cli/system_cache.h"
#include "config/host_config.h"
#include "install/detect.h"
#include "install/doctor.h"
#include "install/extension_ids.h"
#include "install/installer.h"
#include "util/paths.h"

namespace phiguard::cli {
namespace {

namespace in = phiguard::install;

struct InstallOptions {
  bool user = false;
  bool system = false;
  std::vector<std::string> browsers;
  std::string host_path;
  std::string extension_id{in::BuiltInExtensionId()};
  std::string firefox_extension_id{in::BuiltInFirefoxExtensionId()};
  std::string root;
  std::string user_data_dir;
  bool json = false;
  bool no_start = false;      // doctor: check manifests only, start no host
  int timeout_seconds = 120;  // doctor: for each host to answer (a first start compiles rules)
};

int UsageError(const std::string& message) {
  std::cerr << "phiguard: " << message << "\n";
  return kExitUsage;
}

in::Environment MakeEnvironment(const InstallOptions& options) {
  auto env = in::Environment::FromProcess();
  env.root = options.root;
  env.user_data_dir = options.user_data_dir;
  // What `install` writes into manifests by default, so what `doctor` expects them to name.
  env.installed_host = util::ExecutablePath().parent_path() / "phiguard-host";
  return env;
}

in::ExtensionIds MakeIds(const InstallOptions& options) {
  return {options.extension_id, options.firefox_extension_id};
}

// Checks the options every subcommand shares; an empty string means they are consistent.
std::string CheckScopeOptions(const InstallOptions& options, bool scope_required) {
  if (options.user && options.system) return "--user and --system exclude each other";
  if (scope_required && !options.user && !options.system) return "say --user or --system";
  if (!options.root.empty() && options.user) return "--root applies to --system only";
  if (!options.root.empty() && !std::filesystem::path(options.root).is_absolute()) {
    return "--root must be an absolute path";
  }
  if (!options.user_data_dir.empty() && options.system) {
    return "--user-data-dir applies to --user only";
  }
  return {};
}

// The browsers named on the command line; without --browser, `fallback` decides.
util::Result<std::vector<in::Browser>> ChooseBrowsers(const InstallOptions& options,
                                                      const std::vector<in::Browser>& fallback) {
  auto browsers = options.browsers.empty() ? util::Result<std::vector<in::Browser>>(fallback)
                                           : in::ParseBrowserList(options.browsers);
  if (!browsers.ok()) return browsers;
  if (!options.user_data_dir.empty() &&
      (browsers.value().size() != 1 ||
       in::Info(browsers.value()[0]).family != in::Family::kChromium)) {
    return util::Error{"--user-data-dir", "needs exactly one Chromium-family --browser"};
  }
  return browsers;
}

std::vector<in::Browser> EveryBrowser() {
  std::vector<in::Browser> all;
  for (const auto& info : in::AllBrowsers()) all.push_back(info.browser);
  return all;
}

int RunInstall(const InstallOptions& options) {
  if (auto problem = CheckScopeOptions(options, true); !problem.empty()) return UsageError(problem);
  const auto env = MakeEnvironment(options);
  const auto scope = options.system ? in::Scope::kSystem : in::Scope::kUser;
  const auto detected =
      options.browsers.empty() ? in::DetectBrowsers(env, scope) : std::vector<in::Browser>{};
  auto browsers = ChooseBrowsers(options, detected);
  if (!browsers.ok()) return UsageError(browsers.error().Describe());
  if (browsers.value().empty()) {
    return UsageError("no supported browser found on this machine; name them with --browser");
  }
  in::InstallRequest request{scope, browsers.value(), options.host_path, MakeIds(options), env};
  if (request.host_path.empty()) {
    request.host_path = util::ExecutablePath().parent_path() / "phiguard-host";
  }
  const auto changes = in::Install(request);
  if (!changes.ok()) return UsageError(changes.error().Describe());
  for (const auto& change : changes.value()) std::cout << in::Describe(change) << "\n";
  return kExitClean;
}

int RunUninstall(const InstallOptions& options) {
  if (auto problem = CheckScopeOptions(options, true); !problem.empty()) return UsageError(problem);
  // Removing is safe everywhere, so the default is every browser, found or not.
  auto browsers = ChooseBrowsers(options, EveryBrowser());
  if (!browsers.ok()) return UsageError(browsers.error().Describe());
  const auto scope = options.system ? in::Scope::kSystem : in::Scope::kUser;
  const auto changes = in::Uninstall(scope, browsers.value(), MakeEnvironment(options));
  if (!changes.ok()) {
    std::cerr << "phiguard: " << changes.error().Describe() << "\n";
    return kExitFindings;
  }
  for (const auto& change : changes.value()) {
    if (change.kind != in::FileChange::Kind::kAbsent) std::cout << in::Describe(change) << "\n";
  }
  return kExitClean;
}

int RunDoctor(const InstallOptions& options) {
  if (auto problem = CheckScopeOptions(options, false); !problem.empty()) {
    return UsageError(problem);
  }
  if (options.timeout_seconds < 1) return UsageError("--timeout must be at least 1 second");
  auto browsers = ChooseBrowsers(options, EveryBrowser());
  if (!browsers.ok()) return UsageError(browsers.error().Describe());
  const bool both = !options.user && !options.system;
  const auto env = MakeEnvironment(options);
  in::HostProber prober{std::chrono::seconds(options.timeout_seconds)};
  in::DoctorReport report;
  report.browsers = in::Diagnose(browsers.value(), both || options.user, both || options.system,
                                 MakeIds(options), env, options.no_start ? nullptr : &prober);
  for (const auto& [on_disk, probe] : prober.probes()) report.hosts.push_back(probe);
  // The file the host reads (config/host_config.h), under --root when one is set.
  in::Environment config_env = env;
  if (options.user) config_env.root.clear();
  report.config = in::CheckConfigFile(config::DefaultConfigPath(), config_env);
  // Failing: any problem; with --browser, --system or --user a browser without a valid
  // manifest is one.
  const bool named = !options.browsers.empty();
  in::Conclude(report, named || options.system || options.user, config_env);
  if (both || options.system) {
    // Whether hosts start from root's compiled set or each compile their own (seconds per
    // user and update). Not a problem either way: a host without it still works.
    auto dir = util::SystemCacheDir();
    if (!options.root.empty()) dir = std::filesystem::path(options.root) / dir.relative_path();
    report.sources.push_back("compiled rules: system cache " +
                             DescribeSystemCache(CheckSystemCache(dir)));
    // And whether hosts read the packs compiled beside it or parse their JSON.
    std::istringstream packs(DescribeCompiledPacks(dir));
    for (std::string line; std::getline(packs, line);) report.sources.push_back(line);
  }
  if (options.json) {
    std::cout << in::ReportJson(report).dump(2) << "\n";
  } else {
    std::cout << in::FormatReport(report, named);
  }
  return report.ok() ? kExitClean : kExitFindings;
}

void AddSharedOptions(CLI::App& command, InstallOptions& options) {
  command.add_flag("--user", options.user, "This account only (no root needed)");
  command.add_flag("--system", options.system, "Every account on this machine (needs root)");
  command
      .add_option("--browser", options.browsers,
                  "chrome, chromium, edge, brave, vivaldi, firefox (comma-separated)")
      ->delimiter(',');
  command.add_option("--extension-id", options.extension_id,
                     "Chromium-family extension id to allow (default: the built-in id)");
  command.add_option("--firefox-extension-id", options.firefox_extension_id,
                     "Firefox add-on id to allow (default: the built-in id)");
  command.add_option("--root", options.root,
                     "With --system: treat this directory as / (packaging, tests)");
  command.add_option("--user-data-dir", options.user_data_dir,
                     "With --user and one Chromium-family browser: its --user-data-dir");
}

}  // namespace

void AddInstallCommands(CLI::App& app, int& exit_code) {
  auto install_options = std::make_shared<InstallOptions>();
  auto* install = app.add_subcommand(
      "install", "Register phiguard-host with browsers (default: every browser found)");
  AddSharedOptions(*install, *install_options);
  install->add_option("--host-path", install_options->host_path,
                      "Absolute path of phiguard-host (default: next to this program)");
  install->callback([install_options, &exit_code] { exit_code = RunInstall(*install_options); });

  auto uninstall_options = std::make_shared<InstallOptions>();
  auto* uninstall = app.add_subcommand(
      "uninstall", "Remove PHI Guard's host manifests (default: from every browser)");
  AddSharedOptions(*uninstall, *uninstall_options);
  uninstall->callback(
      [uninstall_options, &exit_code] { exit_code = RunUninstall(*uninstall_options); });

  auto doctor_options = std::make_shared<InstallOptions>();
  auto* doctor = app.add_subcommand(
      "doctor",
      "Per browser: manifest found and valid, the host it names started and blocking a canary "
      "post, user-level shadowing; the configuration file and the rule sources in force");
  AddSharedOptions(*doctor, *doctor_options);
  doctor->add_flag("--json", doctor_options->json, "Print the report as JSON");
  doctor->add_flag("--no-start", doctor_options->no_start,
                   "Check the manifests only; do not start the hosts they name");
  doctor->add_option("--timeout", doctor_options->timeout_seconds,
                     "Seconds each host has to answer (default 120: a first start compiles "
                     "the rules)");
  doctor->callback([doctor_options, &exit_code] { exit_code = RunDoctor(*doctor_options); });
}

}  // namespace phiguard::cli
