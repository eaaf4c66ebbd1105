#include "cache/file_database_store.h"

#include <fcntl.h>
#include <sodium.h>
#include <spdlog/spdlog.h>
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
// faster over the 4 MB of the default packs (a tenth of a warm start was SHA-256). Version
// 6: the Hyperscan build and CPU recorded after the magic, and each database stored as a
// region (scan::DatabaseRegion) on a 64 KiB boundary of the file, listed by offset and
// length after the widths, so that root's system cache can be used where it lies.
constexpr std::string_view kMagic = "PHIGUARD-HSDB-6\n";
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

void AppendU64(std::string& out, std::uint64_t value) {
  char bytes[8];
  std::memcpy(bytes, &value, 8);
  out.append(bytes, 8);
}

bool ReadU32(std::string_view& in, std::uint32_t& value) {
  if (in.size() < 4) return false;
  std::memcpy(&value, in.data(), 4);
  in.remove_prefix(4);
  return true;
}

bool ReadU64(std::string_view& in, std::uint64_t& value) {
  if (in.size() < 8) return false;
  std::memcpy(&value, in.data(), 8);
  in.remove_prefix(8);
  return true;
}

std::uint64_t RoundUpToRegion(std::uint64_t offset) {
  constexpr std::uint64_t kAlign = scan::kRegionAlignment;
  return (offset + kAlign - 1) / kAlign * kAlign;
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

// What a cache file's header says: the widths, and where each database's region lies.
struct Layout {
  std::vector<ExpressionInfo> infos;
  std::vector<std::pair<std::uint64_t, std::uint64_t>> regions;  // offset and length
};

// The header of `payload` (the file before its digest), checked: written by this Hyperscan
// build for this CPU, and every region on its boundary, after the header and the region
// before it, and inside the payload, the last one ending it.
util::Result<Layout> ParseHeader(std::string_view payload) {
  std::string_view view = payload.substr(kMagic.size());
  std::uint32_t library_length = 0;
  if (!ReadU32(view, library_length) || view.size() < library_length) {
    return Unusable("truncated header");
  }
  if (view.substr(0, library_length) != scan::LibraryAndPlatformKey()) {
    return Unusable("compiled by another Hyperscan build or for another CPU");
  }
  view.remove_prefix(library_length);
  std::uint32_t count = 0;
  if (!ReadU32(view, count) || view.size() / 8 < count) return Unusable("truncated widths");
  Layout layout;
  layout.infos.resize(count);
  for (auto& info : layout.infos) {
    ReadU32(view, info.min_width);
    ReadU32(view, info.max_width);
  }
  std::uint32_t databases = 0;
  if (!ReadU32(view, databases) || databases > 16 || view.size() / 16 < databases) {
    return Unusable("bad database count");
  }
  std::uint64_t end = payload.size() - view.size() + std::uint64_t{databases} * 16;
  for (std::uint32_t i = 0; i < databases; ++i) {
    std::uint64_t offset = 0;
    std::uint64_t length = 0;
    ReadU64(view, offset);
    ReadU64(view, length);
    if (offset % scan::kRegionAlignment != 0 || offset < end || offset > payload.size() ||
        length > payload.size() - offset) {
      return Unusable("a database lies outside the file or off its boundary");
    }
    layout.regions.emplace_back(offset, length);
    end = offset + length;
  }
  if (end != payload.size()) return Unusable("trailing bytes");
  return layout;
}

// The widths and copies of the databases of `payload` (the file before its digest).
util::Result<CachedDatabase> CopyOut(std::string_view payload) {
  auto layout = ParseHeader(payload);
  if (!layout.ok()) return layout.error();
  CachedDatabase cached;
  cached.infos = std::move(layout.value().infos);
  for (const auto& [offset, length] : layout.value().regions) {
    auto database = scan::CopyDatabaseFromRegion(payload.substr(offset, length));
    if (!database.ok()) return Unusable(database.error().reason);
    cached.databases.push_back(std::move(database).value());
  }
  return cached;
}

// The databases of `file` mapped where they lie (scan::MapDatabaseInPlace), with the widths
// of its header.
util::Result<CachedDatabase> MapInPlace(const FileDescriptor& file, Layout layout) {
  CachedDatabase cached;
  cached.infos = std::move(layout.infos);
  for (const auto& [offset, length] : layout.regions) {
    auto database = scan::MapDatabaseInPlace(file.get(), offset, length, cached.scratch);
    if (!database.ok()) return Unusable(database.error().reason);
    cached.databases.push_back(std::move(database).value());
  }
  cached.in_place = true;
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
    // Root's file in root's folders: nobody else can have written it, so a digest would
    // only tell what the ownership already does (it was a quarter of a start's CPU over
    // 17 MB), and the databases are used where they lie instead of copied. A byte changed
    // all the same (a disk fault, or root's own hand) fails Hyperscan's CRC in the scratch
    // check, and the file is then read as any other, digest included.
    // A header that does not parse would not parse for a copy either.
    auto layout = ParseHeader(payload);
    if (!layout.ok()) return layout.error();
    auto in_place = MapInPlace(opened.value().file, std::move(layout).value());
    if (in_place.ok()) return in_place;
    spdlog::warn("compiled-rules cache {}: not used in place, copied: {}",
                 CacheFilePath(dir_, key).string(), in_place.error().reason);
  }
  // The digest (a fifth of a warm start over the default packs' 10 MB) is computed on a
  // thread of its own while this one copies the databases out, and nothing loaded is
  // returned before it matches: the file is still verified before use. Reading the bytes
  // first costs nothing more: Hyperscan checks its own header and CRC on them, and whoever
  // can write the file can write a matching digest anyway (SECURITY.md "A poisoned
  // compiled-rules cache"), which is why CompiledRules checks what was loaded.
  auto digest = StartDigest(key, payload);
  auto loaded = CopyOut(payload);
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
  const auto library = scan::LibraryAndPlatformKey();
  AppendU32(content, static_cast<std::uint32_t>(library.size()));
  content += library;
  AppendU32(content, static_cast<std::uint32_t>(infos.size()));
  for (const auto& info : infos) {
    AppendU32(content, info.min_width);
    AppendU32(content, info.max_width);
  }
  AppendU32(content, static_cast<std::uint32_t>(databases.size()));
  std::vector<std::string> regions;
  for (const auto& database : databases) {
    auto region = scan::DatabaseRegion(database.get());
    if (!region.ok()) return;
    regions.push_back(std::move(region).value());
  }
  std::uint64_t offset = RoundUpToRegion(content.size() + regions.size() * 16);
  for (const auto& region : regions) {
    AppendU64(content, offset);
    AppendU64(content, region.size());
    offset = RoundUpToRegion(offset + region.size());
  }
  for (auto& region : regions) {
    content.resize(RoundUpToRegion(content.size()), '\0');
    content += region;
    std::string().swap(region);
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
