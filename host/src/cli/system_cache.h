#pragma once
// The machine's system cache of compiled rules (cache/system_first_store.h) from the
// command line: `phiguard rules compile --system-cache` fills it as root (the packages run
// it after install and upgrade), `--check` and `phiguard doctor --system` say whether it
// holds the set this machine's hosts start with.

#include <filesystem>
#include <string>

namespace phiguard::cli {

struct SystemCacheState {
  enum class Kind {
    kCurrent,  // holds the set in force, usable by every user's host
    kStale,    // holds other sets only (rules changed since root last compiled)
    kAbsent,   // no folder, or no sets in it
    kRefused,  // hosts will not read it: wrong owner, writable by others, a link
    kUnknown,  // the rules in force do not load, so there is nothing to compare
  };
  Kind kind = Kind::kAbsent;
  std::filesystem::path file;  // kCurrent: the set's file
  std::string detail;          // kCurrent: the rules version; kRefused, kUnknown: why
  bool in_place = false;       // kCurrent: hosts map its databases where they lie
};

// Whether `dir` holds the set a host on this machine would start with (built-in packs,
// system packs and the stored bundle, composed as service/rule_sources.h does), checked
// exactly as a host reads it. Compiles nothing.
SystemCacheState CheckSystemCache(const std::filesystem::path& dir);

// "current (rules <version>, <file>, used in place)", "stale (...)", ... for `doctor` and
// `--check`.
std::string DescribeSystemCache(const SystemCacheState& state);

// For each pack folder hosts load (built-in, system rules), whether `dir` holds its
// compiled form, current and readable by hosts (cache/compiled_packs.h): one line each.
std::string DescribeCompiledPacks(const std::filesystem::path& dir);

// `phiguard rules compile --system-cache [DIR]` (`check_only`: `--check`). Returns the exit
// code.
int RunCompileSystemCache(const std::filesystem::path& dir, bool check_only);

}  // namespace phiguard::cli
