#include "update/host_rule_sources.h"

#include <spdlog/spdlog.h>

#include "rules/pack_loader.h"
#include "update/bundle_updater.h"
#include "util/paths.h"

namespace phiguard::update {

engine::RuleInputs InitialRuleInputs(const config::HostConfig& config, std::string& error) {
  engine::RuleInputs inputs;
  inputs.allow_below_floor = config.allow_below_protection_floor;
  auto builtin = rules::LoadPackDirectory(util::BuiltinRulesDir());
  if (!builtin.ok()) {
    error = builtin.error().Describe();
    return inputs;
  }
  inputs.builtin = std::move(builtin).value();
  std::error_code ec;
  if (std::filesystem::is_directory(config.rules_dir, ec)) {
    auto system = rules::LoadPackDirectory(config.rules_dir);
    if (system.ok()) {
      inputs.system = std::move(system).value();
    } else {
      spdlog::error("system rules not loaded: {}", system.error().Describe());
    }
  }
  // Before any network check: an offline machine keeps the organisation's last rules.
  BundleUpdater::RestoreInto(SettingsFrom(config), inputs);
  return inputs;
}

}  // namespace phiguard::update
