#pragma once
// Where compiled Hyperscan databases are kept between runs. Compiling the default packs
// takes seconds and loading a stored set milliseconds, so every program passes a store in
// BuildOptions; the scan core only asks it for a set by key and hands it new sets, and
// checks whatever it gets back (widths and behaviour, compiled_rules.cc) as untrusted input.
// The store on disk, with its file format and integrity digest, is the cache layer's
// (cache/file_database_store.h): the scan core links Hyperscan and RE2 only.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "scan/hyperscan_database.h"
#include "util/error.h"

namespace phiguard::scan {

struct CachedDatabase {
  std::vector<DatabasePtr> databases;  // in the order they were stored
  std::vector<ExpressionInfo> infos;   // one per expression, in expression order
  // The databases are the file's own pages, mapped read-only, not copies (the root-owned
  // system cache: cache/file_database_store.h).
  bool in_place = false;
  // A scratch the store already allocated against every database, or null. Allocating one
  // is how Hyperscan checks a database it did not deserialise (platform, alignment, CRC over
  // the whole database), so a store that checked them passes the scratch on, and neither
  // CompiledRules' check nor the first Scanner pays for another pass over 17 MB.
  ScratchPtr scratch;
};

// The reason a store gives when it simply has no set for a key (not worth a warning).
inline constexpr std::string_view kNoCacheFile = "no cache file";
// Why a BuildOptions::cache_only build failed: the store has no usable set for the rules.
inline constexpr std::string_view kNotInCache = "the cache holds no usable set for these rules";

// The key of a compiled set: every expression, its flags and id, the library version and
// the CPU features. Expressions are the patterns as the pack loader expanded them (lines
// joined, (?x) spacing removed, fragments filled in), so editing only a fragment changes
// the key, and rewriting a pack readably without changing a pattern keeps it
// (FileDatabaseStoreTest.KeyFollowsExpandedPatternsNotHowTheyAreWritten).
std::string CacheKey(const std::vector<Expression>& expressions, std::string_view set_signature);

class DatabaseStore {
 public:
  virtual ~DatabaseStore() = default;
  // The stored set for `key`, or why there is none usable (kNoCacheFile when absent).
  virtual util::Result<CachedDatabase> Load(const std::string& key) = 0;
  // Best effort: a store that cannot keep a set only costs the next start a compile.
  virtual void Store(const std::string& key, const std::vector<DatabasePtr>& databases,
                     const std::vector<ExpressionInfo>& infos) = 0;
  // The set for `key` was used now, so pruning keeps the sets in use.
  virtual void MarkUsed(const std::string& key) = 0;
  // Drops all but the sets used most recently; returns how many entries it removed.
  virtual std::size_t Prune() = 0;
};

}  // namespace phiguard::scan
