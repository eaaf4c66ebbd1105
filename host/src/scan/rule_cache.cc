#include "scan/rule_cache.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdint>
#include <cstring>
#include <fstream>
#include <sstream>
#include <system_error>

#include "util/hash.h"

namespace phiguard::scan {
namespace {

// Version 3: a set is several databases (term lists apart from patterns), each stored
// length-prefixed after the expression widths.
constexpr std::string_view kMagic = "PHIGUARD-HSDB-3\n";

std::filesystem::path CachePath(const std::filesystem::path& dir, const std::string& key) {
  return dir / ("rules-" + key + ".hsdb");
}

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

// A read-only mapping of a whole file. The database is copied out by Hyperscan anyway, so
// reading the file into a buffer first (zeroed, then filled) only cost start-up time.
class MappedFile {
 public:
  explicit MappedFile(const std::filesystem::path& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return;
    struct stat info {};
    if (::fstat(fd, &info) == 0 && info.st_size > 0) {
      void* data =
          ::mmap(nullptr, static_cast<std::size_t>(info.st_size), PROT_READ, MAP_PRIVATE, fd, 0);
      if (data != MAP_FAILED) {
        data_ = static_cast<const char*>(data);
        size_ = static_cast<std::size_t>(info.st_size);
      }
    }
    ::close(fd);
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

}  // namespace

std::string CacheKey(const std::vector<Expression>& expressions, std::string_view set_signature) {
  util::Fnv1a64 hash;
  hash.Add(kMagic).Add(LibraryAndPlatformKey()).Add(set_signature);
  for (const auto& e : expressions) {
    hash.Add(e.pattern).Add(std::to_string(e.flags)).Add(std::to_string(e.id));
  }
  return hash.Hex();
}

std::optional<CachedDatabase> LoadCachedDatabase(const std::filesystem::path& dir,
                                                 const std::string& key) {
  const MappedFile file(CachePath(dir, key));
  if (!file.ok()) return std::nullopt;
  std::string_view view = file.view();
  if (!view.starts_with(kMagic)) return std::nullopt;
  view.remove_prefix(kMagic.size());
  std::uint32_t count = 0;
  if (!ReadU32(view, count) || view.size() < std::size_t{count} * 8) return std::nullopt;
  CachedDatabase cached;
  cached.infos.resize(count);
  for (auto& info : cached.infos) {
    ReadU32(view, info.min_width);
    ReadU32(view, info.max_width);
  }
  std::uint32_t databases = 0;
  if (!ReadU32(view, databases)) return std::nullopt;
  for (std::uint32_t i = 0; i < databases; ++i) {
    std::uint32_t length = 0;
    if (!ReadU32(view, length) || view.size() < length) return std::nullopt;
    auto database = DeserializeDatabase(view.substr(0, length));
    if (!database.ok()) return std::nullopt;
    cached.databases.push_back(std::move(database).value());
    view.remove_prefix(length);
  }
  if (!view.empty()) return std::nullopt;  // trailing bytes: not a file we wrote
  return cached;
}

void StoreCachedDatabase(const std::filesystem::path& dir, const std::string& key,
                         const std::vector<DatabasePtr>& databases,
                         const std::vector<ExpressionInfo>& infos) {
  std::string content(kMagic);
  AppendU32(content, static_cast<std::uint32_t>(infos.size()));
  for (const auto& info : infos) {
    AppendU32(content, info.min_width);
    AppendU32(content, info.max_width);
  }
  AppendU32(content, static_cast<std::uint32_t>(databases.size()));
  for (const auto& database : databases) {
    auto bytes = SerializeDatabase(database.get());
    // Databases are capped far below 4 GiB (CompileLimits::database_bytes).
    if (!bytes.ok() || bytes.value().size() > UINT32_MAX) return;
    AppendU32(content, static_cast<std::uint32_t>(bytes.value().size()));
    content += bytes.value();
  }
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  // Write then rename, so a host starting in parallel never reads half a file.
  const auto final_path = CachePath(dir, key);
  auto temp_path = final_path;
  temp_path += ".tmp" + std::to_string(::getpid());
  {
    std::ofstream out(temp_path, std::ios::binary | std::ios::trunc);
    if (!out.write(content.data(), static_cast<std::streamsize>(content.size()))) return;
  }
  std::filesystem::rename(temp_path, final_path, ec);
  if (ec) std::filesystem::remove(temp_path, ec);
}

}  // namespace phiguard::scan
