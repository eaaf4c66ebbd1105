#pragma once
// The compiled-rules cache the unit tests share. Tests that load the shipped packs go
// through a cache as the programs do (a compile of the shipped set takes seconds, over 20 s
// under ASan), but not through the user's own: CTest runs each test in its own process, in
// parallel, and with the programs' pruning to the three most recent sets (kCachedSetsKept)
// every process evicted the sets the others had just compiled, and a program run between
// the release and the ASan pass evicted the rest. Here the sets the suite compiles (a few
// dozen, all told) are kept, so each is compiled once per machine and rules change.

#include <filesystem>
#include <memory>

#include "cache/file_database_store.h"
#include "util/paths.h"

namespace phiguard::testing {

// Enough for every set the unit suite builds, so none is compiled twice in one run.
inline constexpr std::size_t kTestSetsKept = 48;

// Beside the programs' own cache folder (never pruned by them), or no cache at all when
// this machine has no cache folder.
inline std::shared_ptr<scan::DatabaseStore> SharedTestCache() {
  const auto programs = util::CacheDir();
  if (programs.empty()) return nullptr;
  return std::make_shared<cache::FileDatabaseStore>(programs.parent_path() / "phiguard-unit-tests",
                                                    cache::FileStoreOptions{.keep = kTestSetsKept});
}

}  // namespace phiguard::testing
