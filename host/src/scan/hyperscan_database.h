#pragma once
// RAII ownership of Hyperscan databases and scratch, compilation with errors that name the
// failing pattern, and (de)serialisation for the per-machine cache.

#include <hs/hs.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "util/error.h"

namespace phiguard::scan {

// A database is Hyperscan's allocation (compiled, or deserialised into malloc), or a mapping
// of its own (DeserializeDatabase, MapDatabaseInPlace): `mapped_bytes` says which and how
// long.
struct DatabaseDeleter {
  std::size_t mapped_bytes = 0;
  void operator()(hs_database_t* db) const;
};
struct ScratchDeleter {
  void operator()(hs_scratch_t* scratch) const { hs_free_scratch(scratch); }
};
using DatabasePtr = std::unique_ptr<hs_database_t, DatabaseDeleter>;
using ScratchPtr = std::unique_ptr<hs_scratch_t, ScratchDeleter>;

// One expression for hs_compile_multi: the pattern, its flags and the id matches report.
struct Expression {
  std::string pattern;
  unsigned int flags = 0;
  unsigned int id = 0;
};

// What Hyperscan knows about one expression before compiling it into a set.
struct ExpressionInfo {
  unsigned int min_width = 0;
  unsigned int max_width = 0;  // UINT_MAX when unbounded
};

// Compiles all expressions into one block-mode database. On failure the error names the
// index of the expression that failed (callers map it back to a rule id).
struct CompileFailure {
  int expression_index;  // -1 when the failure is not about one expression
  std::string message;
};
std::variant<DatabasePtr, CompileFailure> CompileBlockDatabase(
    const std::vector<Expression>& expressions);

// Widths of one expression as Hyperscan parses it; error text on a bad pattern.
util::Result<ExpressionInfo> AnalyseExpression(const std::string& pattern, unsigned int flags);

// A scratch sized for `db`. Allocated once after compile, never on the scan path.
util::Result<ScratchPtr> AllocateScratch(const hs_database_t* db);
// One scratch that serves each of `databases` in turn (grown to the largest need).
util::Result<ScratchPtr> AllocateScratch(const std::vector<DatabasePtr>& databases);

// Serialised bytes of a database, and the reverse. Deserialising checks that the bytes were
// made by this library build for this platform (and Hyperscan's CRC of them).
util::Result<std::string> SerializeDatabase(const hs_database_t* db);
util::Result<DatabasePtr> DeserializeDatabase(std::string_view bytes);

// A database as a cache file holds it (cache/file_database_store.h), readable two ways:
// copied out through Hyperscan's deserialiser, as every cache file is, or used where it lies,
// mapped read-only, as the root-owned system cache is. A region is
//   - Hyperscan's in-memory header (struct hs_database in Hyperscan 5.4's src/database.h:
//     magic, version, length, platform, CRC, reserved words, the bytecode's offset), with the
//     bytecode's offset kRegionBytecodeOffset,
//   - zeros, then the serialised form's 32-byte header ending at kRegionBytecodeOffset,
//   - the bytecode, then the serialised form's 72 zero bytes,
// so the serialised form is its tail and the in-memory database its head. A file puts each
// region on a kRegionAlignment boundary, so a mapping of it starts on a page and its
// bytecode on a 64-byte boundary, as Hyperscan lays a database out itself.
inline constexpr std::size_t kRegionAlignment = std::size_t{64} << 10;  // pages up to 64 KiB
inline constexpr std::size_t kRegionBytecodeOffset = 192;
util::Result<std::string> DatabaseRegion(const hs_database_t* db);
// A copy of the database in `region` (DeserializeDatabase of its serialised tail).
util::Result<DatabasePtr> CopyDatabaseFromRegion(std::string_view region);
// The database in the region of `fd` at `offset` (`bytes` long), mapped read-only and
// private, not copied. Checked before it is returned: the offset on a page boundary, the
// header (Hyperscan's magic and version through hs_database_size, the length within the
// region, the bytecode where a region puts it), and a scratch allocated against it, which
// is Hyperscan's own check of the platform, the bytecode's alignment and its CRC. Any
// failure says why (the caller copies instead). Only for a file nobody but its reader's
// trusted owner can write: the mapping shows later writes to the file, so a file its user
// could rewrite would change under the scans after the checks.
// `scratch` (null for a new one) is grown to serve it: that allocation is the check.
util::Result<DatabasePtr> MapDatabaseInPlace(int fd, std::uint64_t offset, std::size_t bytes,
                                             ScratchPtr& scratch);

// A string that changes whenever a cached database would no longer be valid here: the
// library version and the CPU features Hyperscan targets.
std::string LibraryAndPlatformKey();

}  // namespace phiguard::scan
