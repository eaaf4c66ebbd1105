// `phiguard rules update`: one bundle check now, with the configuration phiguard-host uses
// (/etc/phiguard/config.json: URL or file, trusted keys, CA) and against the rules it would
// have in force, so IT can see at once why a machine is not taking a bundle instead of
// waiting an interval and reading logs. Keys from browser policy are not known here.

#include <iostream>

#include "cache/system_first_store.h"
#include "cli/commands.h"
#include "config/host_config.h"
#include "engine/rule_manager.h"
#include "service/rule_sources.h"
#include "update/bundle_updater.h"

namespace phiguard::cli {
namespace {

int RunRulesUpdate() {
  const auto path = config::DefaultConfigPath();
  auto loaded = config::LoadHostConfig(path);
  if (!loaded.ok()) {
    std::cerr << "phiguard: configuration ignored: " << loaded.error().Describe() << "\n";
    return kExitUsage;
  }
  const auto& config = loaded.value();
  for (const auto& problem : config.problems) {
    std::cerr << "phiguard: " << path.string() << ": " << problem << "\n";
  }
  const auto settings = update::SettingsFrom(config);
  if (settings.url.empty() && settings.file.empty()) {
    std::cout << "no bundle source: " << path.string() << " sets neither bundle_url nor "
              << "bundle_path\n";
    return kExitUsage;
  }
  auto inputs = service::MachineRuleInputs(config);
  if (!inputs.ok()) {
    std::cout << "check failed: built-in rules unavailable: " << inputs.error().Describe() << "\n";
    return kExitFindings;
  }
  engine::RuleManager manager(
      std::move(inputs).value(),
      scan::BuildOptions{.cache = cache::SystemFirstStore::ForThisMachine()});
  if (auto initial = manager.BuildInitial(); !initial.ok()) {
    std::cout << "check failed: rules in force do not build: " << initial.error().Describe()
              << "\n";
    return kExitFindings;
  }
  update::BundleUpdater updater(settings, manager);
  const auto result = updater.Check();
  switch (result.outcome) {
    case update::CheckOutcome::kAccepted:
      std::cout << "updated to " << result.version << "\n";
      return kExitClean;
    case update::CheckOutcome::kCurrent:
    case update::CheckOutcome::kUnchanged:
      std::cout << "already current " << manager.bundle_version() << "\n";
      return kExitClean;
    case update::CheckOutcome::kRejected:
      std::cout << "refused: " << result.reason << "\n";
      return kExitFindings;
    case update::CheckOutcome::kFetchFailed:
      std::cout << "check failed: " << result.reason << "\n";
      return kExitFindings;
    case update::CheckOutcome::kNoSource:
      break;
  }
  return kExitUsage;
}

}  // namespace

void AddUpdateCommand(CLI::App& rules, int& exit_code) {
  auto* update = rules.add_subcommand(
      "update",
      "Check the configured bundle source now, as phiguard-host would, and say whether the "
      "bundle was taken, is already current, or was refused and why");
  update->callback([&exit_code] { exit_code = RunRulesUpdate(); });
}

}  // namespace phiguard::cli
