#include "engine/rule_loading.h"

#include "rules/pack_loader.h"
#include "util/paths.h"

namespace phiguard::engine {

util::Result<std::shared_ptr<const scan::CompiledRules>> LoadBuiltinRules(
    const std::filesystem::path& dir, const scan::BuildOptions& options) {
  auto packs = rules::LoadPackDirectory(dir.empty() ? util::BuiltinRulesDir() : dir);
  if (!packs.ok()) return packs.error();
  return scan::CompiledRules::Build(std::move(packs).value(), options);
}

util::Result<std::vector<rules::Pack>> LoadPacksFromPaths(
    const std::vector<std::filesystem::path>& paths) {
  std::vector<rules::Pack> packs;
  for (const auto& path : paths) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) {
      auto loaded = rules::LoadPackDirectory(path);
      if (!loaded.ok()) return loaded.error();
      for (auto& pack : loaded.value()) packs.push_back(std::move(pack));
    } else {
      auto pack = rules::LoadPackFile(path);
      if (!pack.ok()) return pack.error();
      packs.push_back(std::move(pack).value());
    }
  }
  if (auto duplicate = rules::CheckUniqueRuleIds(packs)) return *duplicate;
  return packs;
}

}  // namespace phiguard::engine
