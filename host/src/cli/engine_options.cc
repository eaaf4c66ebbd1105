#include "cli/engine_options.h"

#include "cache/system_first_store.h"
#include "service/rule_sources.h"

namespace phiguard::cli {

void EngineOptions::AddTo(CLI::App& command) {
  auto* rules = command.add_option(
      "--rules", rule_paths,
      "Rule pack files or folders to use instead of the rules this machine enforces");
  command
      .add_flag("--builtin-only", builtin_only,
                "Use the built-in packs alone, without system packs or a signed bundle")
      ->excludes(rules);
  command.add_flag("--no-cache", no_cache, "Compile the rules now instead of using the cache");
}

util::Result<std::shared_ptr<const scan::CompiledRules>> EngineOptions::Load() const {
  service::RuleChoice choice{.pack_paths = {rule_paths.begin(), rule_paths.end()},
                             .builtin_only = builtin_only};
  return service::LoadChosenRules(
      choice, {.cache = no_cache ? nullptr : cache::SystemFirstStore::ForThisMachine()});
}

std::vector<std::string> EngineOptions::AllowList() const {
  return service::ChosenAllowList(
      {.pack_paths = {rule_paths.begin(), rule_paths.end()}, .builtin_only = builtin_only});
}

}  // namespace phiguard::cli
