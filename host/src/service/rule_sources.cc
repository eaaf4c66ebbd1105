#include "service/rule_sources.h"

#include <spdlog/spdlog.h>

#include "cache/compiled_packs.h"
#include "engine/rule_loading.h"
#include "rules/pack_loader.h"
#include "update/bundle_updater.h"
#include "util/paths.h"

namespace phiguard::service {

config::HostConfig LoadMachineConfig() {
  const auto path = config::DefaultConfigPath();
  auto loaded = config::LoadHostConfig(path);
  if (!loaded.ok()) {
    spdlog::error("configuration ignored: {}", loaded.error().Describe());
    return {};
  }
  for (const auto& problem : loaded.value().problems) {
    spdlog::error("configuration {}: {}", path.string(), problem);
  }
  return std::move(loaded).value();
}

util::Result<engine::RuleInputs> MachineRuleInputs(const config::HostConfig& config) {
  engine::RuleInputs inputs;
  inputs.allow_below_floor = config.allow_below_protection_floor;
  // From the compiled form root wrote beside the system cache when it may be read and
  // matches the folder (cache/compiled_packs.h), else from the JSON.
  auto builtin = cache::LoadPackDirectoryCompiledFirst(util::BuiltinRulesDir());
  if (!builtin.ok()) return builtin.error();
  inputs.builtin = std::move(builtin).value();
  std::error_code ec;
  if (std::filesystem::is_directory(config.rules_dir, ec)) {
    auto system = cache::LoadPackDirectoryCompiledFirst(config.rules_dir);
    if (system.ok()) {
      inputs.system = std::move(system).value();
    } else {
      spdlog::error("system rules not loaded: {}", system.error().Describe());
    }
  }
  update::BundleUpdater::RestoreInto(update::SettingsFrom(config), inputs);
  return inputs;
}

util::Result<std::shared_ptr<const scan::CompiledRules>> LoadChosenRules(
    const RuleChoice& choice, const scan::BuildOptions& build) {
  if (!choice.pack_paths.empty()) {
    auto packs = engine::LoadPacksFromPaths(choice.pack_paths);
    if (!packs.ok()) return packs.error();
    return scan::CompiledRules::Build(std::move(packs).value(), build);
  }
  if (choice.builtin_only) return engine::LoadBuiltinRules({}, build);
  auto inputs = MachineRuleInputs(LoadMachineConfig());
  if (!inputs.ok()) return inputs.error();
  engine::RuleManager manager(std::move(inputs).value(), build);
  return manager.BuildInitial();
}

std::vector<std::string> ChosenAllowList(const RuleChoice& choice) {
  if (!choice.pack_paths.empty() || choice.builtin_only) return {};
  auto loaded = config::LoadHostConfig(config::DefaultConfigPath());
  return loaded.ok() ? std::move(loaded).value().allow_list : std::vector<std::string>{};
}

}  // namespace phiguard::service
