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
// of its own (DeserializeDatabase): `mapped_bytes` says which and how long.
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

// A string that changes whenever a cached database would no longer be valid here: the
// library version and the CPU features Hyperscan targets.
std::string LibraryAndPlatformKey();

}  // namespace phiguard::scan
