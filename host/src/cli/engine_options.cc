#include "cli/engine_options.h"

#include "engine/rule_loading.h"

namespace phiguard::cli {

void EngineOptions::AddTo(CLI::App& command) {
  command.add_option("--rules", rule_paths,
                     "Rule pack files or folders to use instead of the built-in packs");
  command.add_flag("--no-cache", no_cache, "Compile the rules now instead of using the cache");
}

util::Result<std::shared_ptr<const scan::CompiledRules>> EngineOptions::Load() const {
  const scan::BuildOptions build{.use_cache = !no_cache, .cache_dir = {}};
  if (rule_paths.empty()) return engine::LoadBuiltinRules({}, build);
  std::vector<std::filesystem::path> paths(rule_paths.begin(), rule_paths.end());
  auto packs = engine::LoadPacksFromPaths(paths);
  if (!packs.ok()) return packs.error();
  return scan::CompiledRules::Build(std::move(packs).value(), build);
}

}  // namespace phiguard::cli
