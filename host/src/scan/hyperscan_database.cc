#include "scan/hyperscan_database.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstring>
#include <variant>

#include "util/huge_pages.h"

namespace phiguard::scan {
namespace {

// Linux 5.14; older kernels refuse it, and the pages are then faulted in one at a time.
#ifndef MADV_POPULATE_WRITE
constexpr int MADV_POPULATE_WRITE = 23;
#endif

// Zeroed, writable memory of at least `bytes` for a database, on transparent huge pages
// where the kernel has them, its pages already in place; `mapped` is the length to unmap.
// nullptr when the kernel has no memory to give.
//
// Deserialising the default packs' 10 MB into malloc'ed memory was a third of a warm start
// on the 2-core VM: a page fault per 4 KiB as Hyperscan zeroed it (each a trip to the
// hypervisor), then a TLB miss per 4 KiB as it copied and checked it. Populated in one call
// and on 2 MiB pages it is 26 -> 10 ms (docs/performance.md "Start-up and memory"); the
// scans that walk the database then miss the TLB less too. Where the kernel gives no huge
// pages (THP off, memory fragmented) the advice is ignored and the pages are 4 KiB.
void* MapPopulated(std::size_t bytes, std::size_t& mapped) {
  constexpr std::size_t kHugePage = util::kHugePageBytes;
  const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
  const std::size_t length = (bytes + page - 1) / page * page;
  // Reserved with room to start on a 2 MiB boundary; what lies around the aligned range
  // is given back, so no more than `length` stays mapped.
  void* reserved = ::mmap(nullptr, length + kHugePage, PROT_READ | PROT_WRITE,
                          MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (reserved == MAP_FAILED) return nullptr;
  auto* const first = static_cast<char*>(reserved);
  auto* const start = util::NextHugePageBoundary(first);
  if (start > first) ::munmap(first, static_cast<std::size_t>(start - first));
  auto* const end = start + length;
  if (first + length + kHugePage > end) {
    ::munmap(end, static_cast<std::size_t>(first + length + kHugePage - end));
  }
  // Only whole 2 MiB pages: a tail shorter than one stays on 4 KiB pages, so memory is not
  // rounded up. Both calls are advice; failures leave ordinary pages faulted on first use.
  if (length >= kHugePage) ::madvise(start, length / kHugePage * kHugePage, MADV_HUGEPAGE);
  ::madvise(start, length, MADV_POPULATE_WRITE);
  mapped = length;
  return start;
}

}  // namespace

void DatabaseDeleter::operator()(hs_database_t* db) const {
  if (mapped_bytes > 0) {
    ::munmap(db, mapped_bytes);
  } else {
    hs_free_database(db);
  }
}

std::variant<DatabasePtr, CompileFailure> CompileBlockDatabase(
    const std::vector<Expression>& expressions) {
  std::vector<const char*> patterns;
  std::vector<unsigned int> flags;
  std::vector<unsigned int> ids;
  patterns.reserve(expressions.size());
  for (const auto& e : expressions) {
    patterns.push_back(e.pattern.c_str());
    flags.push_back(e.flags);
    ids.push_back(e.id);
  }
  hs_database_t* db = nullptr;
  hs_compile_error_t* error = nullptr;
  const hs_error_t rc = hs_compile_multi(patterns.data(), flags.data(), ids.data(),
                                         static_cast<unsigned int>(patterns.size()), HS_MODE_BLOCK,
                                         nullptr, &db, &error);
  if (rc != HS_SUCCESS) {
    CompileFailure failure{error ? error->expression : -1,
                           error && error->message ? error->message : "unknown compile error"};
    hs_free_compile_error(error);
    return failure;
  }
  return DatabasePtr(db);
}

util::Result<ExpressionInfo> AnalyseExpression(const std::string& pattern, unsigned int flags) {
  hs_expr_info_t* info = nullptr;
  hs_compile_error_t* error = nullptr;
  if (hs_expression_info(pattern.c_str(), flags, &info, &error) != HS_SUCCESS) {
    util::Error failure{{}, error && error->message ? error->message : "invalid pattern"};
    hs_free_compile_error(error);
    return failure;
  }
  ExpressionInfo result{info->min_width, info->max_width};
  std::free(info);  // hs_expression_info allocates with the default (malloc) allocator
  return result;
}

util::Result<ScratchPtr> AllocateScratch(const hs_database_t* db) {
  hs_scratch_t* scratch = nullptr;
  if (hs_alloc_scratch(db, &scratch) != HS_SUCCESS) {
    return util::Error{{}, "cannot allocate Hyperscan scratch"};
  }
  return ScratchPtr(scratch);
}

util::Result<ScratchPtr> AllocateScratch(const std::vector<DatabasePtr>& databases) {
  ScratchPtr scratch;
  for (const auto& db : databases) {
    hs_scratch_t* raw = scratch.release();
    const hs_error_t rc = hs_alloc_scratch(db.get(), &raw);
    scratch.reset(raw);
    if (rc != HS_SUCCESS) return util::Error{{}, "cannot allocate Hyperscan scratch"};
  }
  if (!scratch) return util::Error{{}, "no Hyperscan database to allocate scratch for"};
  return scratch;
}

util::Result<std::string> SerializeDatabase(const hs_database_t* db) {
  char* bytes = nullptr;
  size_t length = 0;
  if (hs_serialize_database(db, &bytes, &length) != HS_SUCCESS) {
    return util::Error{{}, "cannot serialise the compiled rules"};
  }
  std::string out(bytes, length);
  std::free(bytes);
  return out;
}

util::Result<DatabasePtr> DeserializeDatabase(std::string_view bytes) {
  const util::Error unusable{{}, "cached database is not usable by this library build"};
  std::size_t size = 0;
  if (hs_serialized_database_size(bytes.data(), bytes.size(), &size) != HS_SUCCESS || size == 0) {
    return unusable;
  }
  std::size_t mapped = 0;
  void* memory = MapPopulated(size, mapped);
  if (memory == nullptr) return util::Error{{}, "no memory for the cached database"};
  // Owned from here, so every return below unmaps it.
  DatabasePtr db(static_cast<hs_database_t*>(memory), DatabaseDeleter{mapped});
  // Checks the header, the platform and Hyperscan's own CRC of the bytecode.
  if (hs_deserialize_database_at(bytes.data(), bytes.size(), db.get()) != HS_SUCCESS) {
    return unusable;
  }
  return db;
}

namespace {

// Hyperscan 5.4's struct hs_database (src/database.h), which a region's head is. Its
// values "cannot (easily) change", says that header; the library version is part of every
// cache key and file, and each field read here is checked against what Hyperscan reports.
struct InMemoryHeader {
  std::uint32_t magic;
  std::uint32_t version;
  std::uint32_t length;  // of the bytecode
  std::uint64_t platform;
  std::uint32_t crc32;
  std::uint32_t reserved0;
  std::uint32_t reserved1;
  std::uint32_t bytecode;  // offset from the header
  std::uint32_t padding[16];
};
static_assert(sizeof(InMemoryHeader) == 104 && offsetof(InMemoryHeader, bytecode) == 36);
// The serialised form (hs_serialize_database): the header's first seven fields packed in 32
// bytes, the bytecode, zeros to sizeof(InMemoryHeader) + length.
constexpr std::size_t kSerialisedHeaderBytes = 32;
static_assert(kRegionBytecodeOffset % 64 == 0 &&
              kRegionBytecodeOffset >= sizeof(InMemoryHeader) + kSerialisedHeaderBytes);

template <typename T>
T Load(const char* bytes) {
  T value;
  std::memcpy(&value, bytes, sizeof(T));
  return value;
}

}  // namespace

util::Result<std::string> DatabaseRegion(const hs_database_t* db) {
  auto serialised = SerializeDatabase(db);
  if (!serialised.ok()) return serialised.error();
  const std::string& bytes = serialised.value();
  const util::Error unexpected{{}, "Hyperscan's serialised form is not laid out as expected"};
  if (bytes.size() < sizeof(InMemoryHeader)) return unexpected;
  InMemoryHeader header{};
  header.magic = Load<std::uint32_t>(bytes.data());
  header.version = Load<std::uint32_t>(bytes.data() + 4);
  header.length = Load<std::uint32_t>(bytes.data() + 8);
  header.platform = Load<std::uint64_t>(bytes.data() + 12);
  header.crc32 = Load<std::uint32_t>(bytes.data() + 20);
  header.reserved0 = Load<std::uint32_t>(bytes.data() + 24);
  header.reserved1 = Load<std::uint32_t>(bytes.data() + 28);
  header.bytecode = kRegionBytecodeOffset;
  std::size_t size = 0;
  if (bytes.size() != sizeof(InMemoryHeader) + header.length ||
      hs_database_size(db, &size) != HS_SUCCESS || size != bytes.size()) {
    return unexpected;
  }
  std::string region(kRegionBytecodeOffset - kSerialisedHeaderBytes + bytes.size(), '\0');
  std::memcpy(region.data(), &header, sizeof(header));
  std::memcpy(region.data() + kRegionBytecodeOffset - kSerialisedHeaderBytes, bytes.data(),
              bytes.size());
  return region;
}

util::Result<DatabasePtr> CopyDatabaseFromRegion(std::string_view region) {
  if (region.size() < kRegionBytecodeOffset) {
    return util::Error{{}, "cached database region is truncated"};
  }
  return DeserializeDatabase(region.substr(kRegionBytecodeOffset - kSerialisedHeaderBytes));
}

util::Result<DatabasePtr> MapDatabaseInPlace(int fd, std::uint64_t offset, std::size_t bytes,
                                             ScratchPtr& scratch) {
  const auto page = static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE));
  if (page == 0 || offset % page != 0) return util::Error{{}, "not on a page boundary"};
  if (bytes < kRegionBytecodeOffset + sizeof(InMemoryHeader) - kSerialisedHeaderBytes) {
    return util::Error{{}, "region too short"};
  }
  int flags = MAP_PRIVATE;
#ifdef MAP_POPULATE
  // The scratch check below reads every byte (Hyperscan's CRC): one call maps the pages
  // from the page cache instead of a fault per few pages.
  flags |= MAP_POPULATE;
#endif
  void* mapped = ::mmap(nullptr, bytes, PROT_READ, flags, fd, static_cast<off_t>(offset));
  if (mapped == MAP_FAILED) return util::Error{{}, "cannot map the database"};
  DatabasePtr db(static_cast<hs_database_t*>(mapped), DatabaseDeleter{bytes});
  InMemoryHeader header{};
  std::memcpy(&header, mapped, sizeof(header));
  std::size_t size = 0;
  // Magic and version, as every scan checks them.
  if (hs_database_size(db.get(), &size) != HS_SUCCESS) {
    return util::Error{{}, "not a database of this Hyperscan version"};
  }
  if (size != sizeof(InMemoryHeader) + header.length || header.bytecode != kRegionBytecodeOffset ||
      header.length > bytes - kRegionBytecodeOffset) {
    return util::Error{{}, "header does not fit its region"};
  }
  // Platform, alignment and CRC (dbIsValid), as hs_alloc_scratch checks any database it
  // has not seen deserialised. A failed call leaves the scratch as it was.
  hs_scratch_t* raw = scratch.release();
  const hs_error_t checked = hs_alloc_scratch(db.get(), &raw);
  scratch.reset(raw);
  if (checked != HS_SUCCESS) {
    return util::Error{{}, "Hyperscan refuses it (platform, alignment or CRC)"};
  }
  return db;
}

std::string LibraryAndPlatformKey() {
  hs_platform_info_t platform{};
  hs_populate_platform(&platform);
  return std::string(hs_version()) + "/tune=" + std::to_string(platform.tune) +
         "/features=" + std::to_string(platform.cpu_features);
}

}  // namespace phiguard::scan
