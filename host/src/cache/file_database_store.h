#pragma once
// The on-disk cache of compiled Hyperscan databases, one file per rule set. Serialised
// databases are tied to the library build and the CPU, so they are cached per machine and
// never shipped (docs/design.md "Engine"). A stale or corrupt file is ignored and rebuilt.
//
// The file sits in a directory the monitored user can write, so it is input, not trusted
// state (SECURITY.md "A poisoned compiled-rules cache"): it ends with a BLAKE2b digest over
// the key and every byte before it, so a file edited, cut, or copied from another rule set's
// key is refused here; CompiledRules then checks the widths and the databases' behaviour
// against the rules being loaded, and the scanner drops match ids it does not know.
//
// A file: a magic line, the Hyperscan build and CPU it was compiled for, each expression's
// widths, a table of the databases' offsets and lengths, each database as a region
// (scan::DatabaseRegion) on a 64 KiB boundary, then the digest. A user's file is copied out
// of its regions through Hyperscan's deserialiser; root's system cache is mapped in place
// (FileStoreOptions::in_place).
//
// This is the only part of the scan path that needs libsodium, which is why it is a layer
// of its own above scan (host/CMakeLists.txt): scan sees only scan::DatabaseStore.

#include <sys/types.h>

#include <cstddef>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "scan/database_store.h"

namespace phiguard::cache {

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

// The file that holds the set for `key` in the cache folder `dir`.
std::filesystem::path CacheFilePath(const std::filesystem::path& dir, const std::string& key);

struct FileStoreOptions {
  // How many sets Prune() keeps.
  std::size_t keep = kCachedSetsKept;
  // Set for a folder other users' programs read (the system cache): Load() uses a file only
  // when it and its folder belong to this uid and are not writable by group or others, and
  // never through a symbolic link (cache/trusted_folder.h).
  std::optional<uid_t> trusted_owner;
  // With `trusted_owner` (the system cache): when the folders above are safe too
  // (UntrustedAncestor), so that nobody but the owner (root) can have changed the file, it
  // is used as the owner wrote it: its digest is not computed and its databases are mapped
  // read-only where they lie instead of copied (scan::MapDatabaseInPlace, which checks
  // them with Hyperscan's own checks first). Anywhere else, or when mapping fails, the file
  // is read as a user's is, digest included. CompiledRules' checks of what was loaded
  // apply either way (SECURITY.md "A poisoned compiled-rules cache").
  bool in_place = false;
};

class FileDatabaseStore : public scan::DatabaseStore {
 public:
  explicit FileDatabaseStore(std::filesystem::path dir, FileStoreOptions options = {})
      : dir_(std::move(dir)), options_(options) {}

  // The cache of the user running this program (`dir`, or util::CacheDir() when empty), or
  // nullptr when there is no per-user cache folder: then every start compiles.
  static std::shared_ptr<scan::DatabaseStore> ForUser(const std::filesystem::path& dir = {});

  util::Result<scan::CachedDatabase> Load(const std::string& key) override;
  // Best effort: a read-only home must not stop the host from scanning.
  void Store(const std::string& key, const std::vector<scan::DatabasePtr>& databases,
             const std::vector<scan::ExpressionInfo>& infos) override;
  void MarkUsed(const std::string& key) override;
  std::size_t Prune() override;

  const std::filesystem::path& dir() const { return dir_; }

 private:
  std::filesystem::path dir_;
  FileStoreOptions options_;
};

}  // namespace phiguard::cache
