#include "scan/rule_cache.h"

#include <cstring>
#include <fstream>
#include <sstream>
#include <system_error>
#include <unistd.h>

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

}  // namespace

std::string CacheKey(const std::vector<Expression>& expressions) {
  util::Fnv1a64 hash;
  hash.Add(kMagic).Add(LibraryAndPlatformKey());
  for (const auto& e : expressions) {
    hash.Add(e.pattern).Add(std::to_string(e.flags)).Add(std::to_string(e.id));
  }
  return hash.Hex();
}

std::optional<CachedDatabase> LoadCachedDatabase(const std::filesystem::path& dir,
                                                 const std::string& key) {
  std::ifstream in(CachePath(dir, key), std::ios::binary | std::ios::ate);
  if (!in) return std::nullopt;
  // NOTE: one read of the known size: a stringstream copy of a 2-4 MB database cost more
  // start-up time (page faults and copies) than everything else on the cached path.
  const auto size = static_cast<std::size_t>(in.tellg());
  std::string content(size, '\0');
  in.seekg(0);
  if (!in.read(content.data(), static_cast<std::streamsize>(size))) return std::nullopt;
  std::string_view view = content;
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
