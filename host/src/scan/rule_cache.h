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
// Records that the set for `key` was used now (its file's time), so pruning keeps the sets
// in use rather than the ones written last. Best effort.
void MarkCachedDatabaseUsed(const std::filesystem::path& dir, const std::string& key);

// How many compiled sets the cache keeps. Every bundle or organisation-rule change makes a
// new set of a few MB and nothing removed the old ones. Three covers what a host uses in
// one session (its set at start, then that set with the organisation's rules from
// `configure`) and one more, usually the command line's built-in set; a set pruned too
// eagerly only costs one compile.
inline constexpr std::size_t kCachedSetsKept = 3;

// Deletes all but the `keep` most recently used cache files in `dir`, and temporary files
// a crashed writer left (older than an hour, so a writer at work keeps its own). Returns
// how many files it deleted. Files that are not the cache's own are left alone.
std::size_t PruneCache(const std::filesystem::path& dir, std::size_t keep = kCachedSetsKept);

// Best effort: a read-only home must not stop the host from scanning.
void StoreCachedDatabase(const std::filesystem::path& dir, const std::string& key,
                         const std::vector<DatabasePtr>& databases,
                         const std::vector<ExpressionInfo>& infos);

}  // namespace phiguard::scan
