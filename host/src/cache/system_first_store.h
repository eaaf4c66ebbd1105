#pragma once
// The compiled-rules cache every program uses: the machine's system cache first, then the
// user's own. Compiling a rule set takes seconds per user and start; root compiles the set
// in force once per machine (`phiguard rules compile --system-cache`, run by the packages
// after install and upgrade) into util::SystemCacheDir(), and every user's host maps it.
//
// The system cache is read only, and only what its owner wrote: a file is used when it and
// its folder belong to the trusted owner (root) and are writable by nobody else, never
// through a symbolic link (cache/trusted_folder.h), so a monitored user cannot plant one.
// When the folders above it are root's too (cache/trusted_folder.h UntrustedAncestor), so
// that only root can have written the file, its databases are used in place, mapped
// read-only and not copied, and its digest is not computed; otherwise it is read as any
// cache file, digest included (cache/file_database_store.h FileStoreOptions::in_place).
// What is loaded is then checked either way (widths and every rule's examples in
// scan::CompiledRules). New sets go to the user's cache; this store never writes, touches
// or prunes the system folder.

#include <sys/types.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "scan/database_store.h"

namespace phiguard::cache {

class SystemFirstStore : public scan::DatabaseStore {
 public:
  // `user` may be null: then nothing is stored (a read-only view of the system cache, for
  // checking whether it holds a set). `trusted_owner` is root in the programs; tests, which
  // cannot make root's files, pass their own uid.
  SystemFirstStore(std::filesystem::path system_dir, std::shared_ptr<scan::DatabaseStore> user,
                   uid_t trusted_owner = 0);

  // util::SystemCacheDir() (owned by util::SystemCacheOwner()), then the user's cache
  // (FileDatabaseStore::ForUser(), none without a per-user folder).
  static std::shared_ptr<scan::DatabaseStore> ForThisMachine();

  // The system cache's set when it has a usable one, else the user's. A system file that
  // fails the ownership or digest checks is logged with the reason and skipped.
  util::Result<scan::CachedDatabase> Load(const std::string& key) override;
  // The user's cache only.
  void Store(const std::string& key, const std::vector<scan::DatabasePtr>& databases,
             const std::vector<scan::ExpressionInfo>& infos) override;
  void MarkUsed(const std::string& key) override;
  std::size_t Prune() override;

  const std::filesystem::path& system_dir() const { return system_dir_; }

 private:
  std::filesystem::path system_dir_;
  std::unique_ptr<scan::DatabaseStore> system_;
  std::shared_ptr<scan::DatabaseStore> user_;
};

}  // namespace phiguard::cache
