#pragma once
// The on-disk cache of compiled Hyperscan databases. Serialised databases are tied to the
// library build and the CPU, so they are cached per machine and never shipped (docs/design.md
// "Engine"). The key covers every expression, its flags and id, the library version and
// the CPU features; a stale or corrupt file is ignored and rebuilt.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "scan/hyperscan_database.h"

namespace phiguard::scan {

struct CachedDatabase {
  std::vector<DatabasePtr> databases;  // in the order they were stored
  std::vector<ExpressionInfo> infos;   // one per expression, in expression order
};

std::string CacheKey(const std::vector<Expression>& expressions, std::string_view set_signature);
std::optional<CachedDatabase> LoadCachedDatabase(const std::filesystem::path& dir,
                                                 const std::string& key);
// Best effort: a read-only home must not stop the host from scanning.
void StoreCachedDatabase(const std::filesystem::path& dir, const std::string& key,
                         const std::vector<DatabasePtr>& databases,
                         const std::vector<ExpressionInfo>& infos);

}  // namespace phiguard::scan
