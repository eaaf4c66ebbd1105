#pragma once
// Hyperscan compilation in a child process with a time and memory limit, for rule sets that
// hold packs from outside the install (signed bundles, the system rules directory,
// organisation rules from policy). Hyperscan has no compile timeout, and a hostile or merely
// careless pattern can take minutes and gigabytes to compile; in a child the host can stop
// it, and its own memory is untouched. The child hands back the serialised database, so the
// set is compiled once, not twice.

#include <chrono>
#include <cstddef>
#include <variant>
#include <vector>

#include "scan/hyperscan_database.h"

namespace phiguard::scan {

struct CompileLimits {
  std::chrono::milliseconds time{60'000};     // wall clock, and CPU time in the child
  std::size_t memory_bytes = 2ULL << 30;      // address space of the child (not under ASan)
  std::size_t database_bytes = 256ULL << 20;  // the serialised database handed back
};

// What packs from outside get (SECURITY.md "Limits"): the default packs compile in about
// 8 s on a 2-core build machine, so a minute leaves room for a slow laptop.
inline constexpr CompileLimits kOutsidePackCompileLimits{};

// Like CompileBlockDatabase, in a child under `limits`. Exceeding a limit is a
// CompileFailure with expression_index -1 and a message that names the limit.
std::variant<DatabasePtr, CompileFailure> CompileBlockDatabaseIsolated(
    const std::vector<Expression>& expressions, const CompileLimits& limits);

}  // namespace phiguard::scan
