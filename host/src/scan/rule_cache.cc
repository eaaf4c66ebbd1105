#include "scan/rule_cache.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <sstream>
#include <system_error>

#include "util/hash.h"

namespace phiguard::scan {
namespace {

constexpr std::string_view kMagic = "PHIGUARD-HSDB-2\n";

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

std::string CacheKey(const std::vector<Expression>& expressions,
                     std::string_view confirm_signature) {
  util::Fnv1a64 hash;
  hash.Add(kMagic).Add(LibraryAndPlatformKey()).Add(confirm_signature);
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
  auto database = DeserializeDatabase(view);
  if (!database.ok()) return std::nullopt;
  cached.database = std::move(database).value();
  return cached;
}

void StoreCachedDatabase(const std::filesystem::path& dir, const std::string& key,
                         const hs_database_t* database, const std::vector<ExpressionInfo>& infos) {
  auto bytes = SerializeDatabase(database);
  if (!bytes.ok()) return;
  std::string content(kMagic);
  AppendU32(content, static_cast<std::uint32_t>(infos.size()));
  for (const auto& info : infos) {
    AppendU32(content, info.min_width);
    AppendU32(content, info.max_width);
  }
  content += bytes.value();
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
