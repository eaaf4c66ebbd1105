#include "cache/system_first_store.h"

#include <spdlog/spdlog.h>

#include "cache/file_database_store.h"
#include "util/paths.h"

namespace phiguard::cache {

SystemFirstStore::SystemFirstStore(std::filesystem::path system_dir,
                                   std::shared_ptr<scan::DatabaseStore> user, uid_t trusted_owner)
    : system_dir_(std::move(system_dir)),
      system_(std::make_unique<FileDatabaseStore>(
          system_dir_, FileStoreOptions{.trusted_owner = trusted_owner, .in_place = true})),
      user_(std::move(user)) {}

std::shared_ptr<scan::DatabaseStore> SystemFirstStore::ForThisMachine() {
  return std::make_shared<SystemFirstStore>(util::SystemCacheDir(), FileDatabaseStore::ForUser(),
                                            util::SystemCacheOwner());
}

util::Result<scan::CachedDatabase> SystemFirstStore::Load(const std::string& key) {
  auto system = system_->Load(key);
  if (system.ok()) {
    // Said at every start, so support can tell a host that mapped root's set from one that
    // compiled its own.
    spdlog::info("compiled rules {} found in the system cache {} ({})", key, system_dir_.string(),
                 system.value().in_place ? "used in place" : "copied, digest checked");
    return system;
  }
  if (system.error().reason != scan::kNoCacheFile) {
    spdlog::warn("system cache {} not used for {}: {}", system_dir_.string(), key,
                 system.error().Describe());
  }
  if (!user_) return system.error();
  return user_->Load(key);
}

void SystemFirstStore::Store(const std::string& key,
                             const std::vector<scan::DatabasePtr>& databases,
                             const std::vector<scan::ExpressionInfo>& infos) {
  if (user_) user_->Store(key, databases, infos);
}

void SystemFirstStore::MarkUsed(const std::string& key) {
  // A set taken from the system cache has no user file to touch; root's own runs of the
  // compile command keep the system cache's order.
  if (user_) user_->MarkUsed(key);
}

std::size_t SystemFirstStore::Prune() { return user_ ? user_->Prune() : 0; }

}  // namespace phiguard::cache
