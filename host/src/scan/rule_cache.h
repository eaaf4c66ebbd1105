#pragma once
// The on-disk cache of compiled Hyperscan databases. Serialised databases are tied to the
// library build and the CPU, so they are cached per machine and never shipped (docs/design.md
// "Engine"). The key covers every expression, its flags and id, the library version and
// the CPU features; a stale or corrupt file is ignored and rebuilt. Expressions are the
// patterns as the pack loader expanded them (lines joined, (?x) spacing removed, fragments
// filled in), so editing only a fragment changes the key, and rewriting a pack readably
// without changing a pattern keeps it
// (RuleCacheTest.KeyFollowsExpandedPatternsNotHowTheyAreWritten).
//
// The file sits in a directory the monitored user can write, so it is input, not trusted
// state (SECURITY.md "A poisoned compiled-rules cache"): it ends with a BLAKE2b digest over
// the key and every byte before it, so a file edited, cut, or copied from another rule set's
// key is refused here; CompiledRules then checks the widths and the databases' behaviour against
// the rules being loaded, and the scanner drops match ids it does not know.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "scan/hyperscan_database.h"
#include "util/error.h"

namespace phiguard::scan {

struct CachedDatabase {
  std::vector<DatabasePtr> databases;  // in the order they were stored
  std::vector<ExpressionInfo> infos;   // one per expression, in expression order
};

std::string CacheKey(const std::vector<Expression>& expressions, std::string_view set_signature);
// The reason when there is simply no file for `key` (not worth a warning).
inline constexpr std::string_view kNoCacheFile = "no cache file";

// The cached databases for `key`, or why the file was not usable (kNoCacheFile, a bad
// digest, a short or oversized file, a database this library cannot load).
util::Result<CachedDatabase> LoadCachedDatabase(const std::filesystem::path& dir,
                                                const std::string& key);
// Best effort: a read-only home must not stop the host from scanning.
void StoreCachedDatabase(const std::filesystem::path& dir, const std::string& key,
                         const std::vector<DatabasePtr>& databases,
                         const std::vector<ExpressionInfo>& infos);

}  // namespace phiguard::scan
