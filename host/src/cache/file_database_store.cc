#include "cache/file_database_store.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <functional>
#include <future>
#include <sstream>
#include <system_error>

#include "cache/trusted_folder.h"
#include "util/paths.h"

namespace phiguard::cache {
namespace {

using scan::CachedDatabase;
using scan::DatabasePtr;
using scan::ExpressionInfo;

// Version 3: a set is several databases (term lists apart from patterns), each stored
// length-prefixed after the expression widths. Version 4: a SHA-256 over the key and
// everything before it ends the file. Version 5: the digest is BLAKE2b-256, three times
// faster over the 4 MB of the default packs (a tenth of a warm start was SHA-256).
constexpr std::string_view kMagic = "PHIGUARD-HSDB-5\n";
constexpr std::size_t kDigestBytes = crypto_generichash_BYTES;
// Far above any real set (the default packs' databases are a few MB; a set is capped at
// 256 MiB per database when compiled from outside packs): a bigger file is not ours.
constexpr std::size_t kMaxCacheFileBytes = 512ULL << 20;

// BLAKE2b over the cache key and the file's bytes before the digest: binds the contents to
// the rule set they were written for, so a file renamed from another set's key fails.
std::string PayloadDigest(const std::string& key, std::string_view payload) {
  if (sodium_init() < 0) return {};  // never equal to a stored digest: the file is rebuilt
  crypto_generichash_state state;
  crypto_generichash_init(&state, nullptr, 0, kDigestBytes);
  crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(key.data()), key.size());
  crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(payload.data()),
                            payload.size());
  std::string digest(kDigestBytes, '\0');
  crypto_generichash_final(&state, reinterpret_cast<unsigned char*>(digest.data()), kDigestBytes);
  return digest;
}

std::string CacheFileName(const std::string& key) { return "rules-" + key + ".hsdb"; }

void AppendU32(std::string& out, std::uint32_t value) {
  char bytes[4];
  std::memcpy(bytes, &value, 4);
  out.append(bytes, 4);
}

bool ReadU32(std::string_view& in, std::uint32_t& value) {
  if (in.size() < 4) return false;
  std::memcpy(&value, in.data(), 4);
  in.remove_prefix(4);
  return true;
}

// A read-only mapping of a whole open file. The database is copied out by Hyperscan anyway,
// so reading the file into a buffer first (zeroed, then filled) only cost start-up time.
class MappedFile {
 public:
  explicit MappedFile(const FileDescriptor& file) {
    struct stat info {};
    if (::fstat(file.get(), &info) == 0 && S_ISREG(info.st_mode) && info.st_size > 0 &&
        static_cast<std::size_t>(info.st_size) <= kMaxCacheFileBytes) {
      void* data = ::mmap(nullptr, static_cast<std::size_t>(info.st_size), PROT_READ, MAP_PRIVATE,
                          file.get(), 0);
      if (data != MAP_FAILED) {
        data_ = static_cast<const char*>(data);
        size_ = static_cast<std::size_t>(info.st_size);
      }
    }
  }
  ~MappedFile() {
    if (data_) ::munmap(const_cast<char*>(data_), size_);
  }
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  std::string_view view() const { return {data_, size_}; }
  bool ok() const { return data_ != nullptr; }

 private:
  const char* data_ = nullptr;
  std::size_t size_ = 0;
};

util::Error Unusable(std::string reason) {
  return util::Error{"compiled-rules cache", std::move(reason)};
}

// PayloadDigest on another thread, or on this one (when get() is called) when no thread
// can be started.
std::future<std::string> StartDigest(const std::string& key, std::string_view payload) {
  try {
    return std::async(std::launch::async, PayloadDigest, std::cref(key), payload);
  } catch (const std::system_error&) {
    return std::async(std::launch::deferred, PayloadDigest, std::cref(key), payload);
  }
}

// The widths and databases of a cache file's payload (after the magic, before the digest).
util::Result<CachedDatabase> Parse(std::string_view view) {
  std::uint32_t count = 0;
  if (!ReadU32(view, count) || view.size() / 8 < count) return Unusable("truncated widths");
  CachedDatabase cached;
  cached.infos.resize(count);
  for (auto& info : cached.infos) {
    ReadU32(view, info.min_width);
    ReadU32(view, info.max_width);
  }
  std::uint32_t databases = 0;
  if (!ReadU32(view, databases) || databases > 16) return Unusable("bad database count");
  for (std::uint32_t i = 0; i < databases; ++i) {
    std::uint32_t length = 0;
    if (!ReadU32(view, length) || view.size() < length) return Unusable("truncated database");
    auto database = scan::DeserializeDatabase(view.substr(0, length));
    if (!database.ok()) return Unusable(database.error().reason);
    cached.databases.push_back(std::move(database).value());
    view.remove_prefix(length);
  }
  if (!view.empty()) return Unusable("trailing bytes");
  return cached;
}

struct OpenedCacheFile {
  FileDescriptor file;
  // Why the file could have been changed by someone other than its trusted owner (a folder
  // above it they can write), or empty when it could not: then it is used as written.
  std::string untrusted;
};

// The cache file for `key`: in a shared folder only through the ownership checks, in the
// user's own folder as it is (the checks on its contents follow either way).
util::Result<OpenedCacheFile> OpenCacheFile(const std::filesystem::path& dir,
                                            const std::string& key,
                                            const FileStoreOptions& options) {
  if (options.trusted_owner) {
    auto folder = OpenTrustedFolder(dir, *options.trusted_owner);
    if (!folder.ok()) return folder.error();
    auto file = OpenTrustedFile(folder.value(), CacheFileName(key), *options.trusted_owner);
    if (!file.ok()) return file.error();
    OpenedCacheFile opened{std::move(file).value(), "not asked to"};
    if (options.in_place) {
      opened.untrusted =
          UntrustedAncestor(folder.value(), dir, *options.trusted_owner).value_or(std::string());
    }
    return opened;
  }
  FileDescriptor file(::open(CacheFilePath(dir, key).c_str(), O_RDONLY | O_CLOEXEC));
  if (!file.valid()) return Unusable(std::string(scan::kNoCacheFile));
  return OpenedCacheFile{std::move(file), "a user's own cache"};
}

}  // namespace

std::filesystem::path CacheFilePath(const std::filesystem::path& dir, const std::string& key) {
  return dir / CacheFileName(key);
}

util::Result<CachedDatabase> FileDatabaseStore::Load(const std::string& key) {
  auto opened = OpenCacheFile(dir_, key, options_);
  if (!opened.ok()) return opened.error();
  const MappedFile file(opened.value().file);
  if (!file.ok())
    return Unusable("cannot map the file, or it is empty, not a file or over 512 MiB");
  const std::string_view view = file.view();
  if (!view.starts_with(kMagic) || view.size() < kMagic.size() + kDigestBytes) {
    return Unusable("not a cache file of this version");
  }
  const std::string_view payload = view.substr(0, view.size() - kDigestBytes);
  if (opened.value().untrusted.empty()) {
    // Root's file in root's folders: nobody else can have written it, and a digest would
    // only tell what the ownership already does (a quarter of a start's CPU over 17 MB).
    // A byte changed all the same (a disk fault, or root's own hand) still fails
    // Hyperscan's CRC and then CompiledRules' checks, which rebuild.
    return Parse(payload.substr(kMagic.size()));
  }
  // The digest (a fifth of a warm start over the default packs' 10 MB) is computed on a
  // thread of its own while this one copies the databases out, and nothing loaded is
  // returned before it matches: the file is still verified before use. Reading the bytes
  // first costs nothing more: Hyperscan checks its own header and CRC on them, and whoever
  // can write the file can write a matching digest anyway (SECURITY.md "A poisoned
  // compiled-rules cache"), which is why CompiledRules checks what was loaded.
  auto digest = StartDigest(key, payload);
  auto loaded = Parse(payload.substr(kMagic.size()));
  // Waited for on every path: the thread reads the mapping, which outlives `digest`.
  if (digest.get() != view.substr(payload.size())) {
    return Unusable(
        "digest does not match its contents and rule set (edited, or copied from other rules)");
  }
  return loaded;
}

void FileDatabaseStore::Store(const std::string& key, const std::vector<DatabasePtr>& databases,
                              const std::vector<ExpressionInfo>& infos) {
  const auto& dir = dir_;
  std::string content(kMagic);
  AppendU32(content, static_cast<std::uint32_t>(infos.size()));
  for (const auto& info : infos) {
    AppendU32(content, info.min_width);
    AppendU32(content, info.max_width);
  }
  AppendU32(content, static_cast<std::uint32_t>(databases.size()));
  for (const auto& database : databases) {
    auto bytes = scan::SerializeDatabase(database.get());
    // Databases are capped far below 4 GiB (CompileLimits::database_bytes).
    if (!bytes.ok() || bytes.value().size() > UINT32_MAX) return;
    AppendU32(content, static_cast<std::uint32_t>(bytes.value().size()));
    content += bytes.value();
  }
  content += PayloadDigest(key, content);
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  // Write then rename, so a host starting in parallel never reads half a file.
  const auto final_path = CacheFilePath(dir, key);
  auto temp_path = final_path;
  temp_path += ".tmp" + std::to_string(::getpid());
  {
    std::ofstream out(temp_path, std::ios::binary | std::ios::trunc);
    if (!out.write(content.data(), static_cast<std::streamsize>(content.size()))) return;
  }
  std::filesystem::rename(temp_path, final_path, ec);
  if (ec) std::filesystem::remove(temp_path, ec);
}

void FileDatabaseStore::MarkUsed(const std::string& key) {
  std::error_code ec;
  std::filesystem::last_write_time(CacheFilePath(dir_, key),
                                   std::filesystem::file_time_type::clock::now(), ec);
}

std::size_t PruneCache(const std::filesystem::path& dir, std::size_t keep) {
  namespace fs = std::filesystem;
  std::error_code ec;
  std::vector<std::pair<fs::file_time_type, fs::path>> sets;
  std::vector<fs::path> stale_temps;
  const auto stale_before = fs::file_time_type::clock::now() - std::chrono::hours(1);
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const auto name = it->path().filename().string();
    if (!name.starts_with("rules-") || !it->is_regular_file(ec)) continue;
    const auto time = it->last_write_time(ec);
    if (ec) continue;
    if (name.ends_with(".hsdb")) {
      sets.emplace_back(time, it->path());
    } else if (name.find(".hsdb.tmp") != std::string::npos && time < stale_before) {
      stale_temps.push_back(it->path());
    }
  }
  std::sort(sets.begin(), sets.end(),
            [](const auto& a, const auto& b) { return a.first > b.first; });
  std::size_t removed = 0;
  // A host starting in parallel may be mapping one of these: unlinking leaves its mapping
  // valid, and at worst it rebuilds.
  for (std::size_t i = keep; i < sets.size(); ++i) removed += fs::remove(sets[i].second, ec);
  for (const auto& temp : stale_temps) removed += fs::remove(temp, ec);
  return removed;
}

std::size_t FileDatabaseStore::Prune() { return PruneCache(dir_, options_.keep); }

std::shared_ptr<scan::DatabaseStore> FileDatabaseStore::ForUser(const std::filesystem::path& dir) {
  auto chosen = dir.empty() ? util::CacheDir() : dir;
  // No per-user cache folder (util::CacheDir() is empty without one): compile every time.
  if (chosen.empty()) return nullptr;
  return std::make_shared<FileDatabaseStore>(std::move(chosen));
}

}  // namespace phiguard::cache
