#pragma once
// Loads and compiles the rule packs a program starts with.

#include <filesystem>
#include <memory>

#include "scan/compiled_rules.h"
#include "util/error.h"

namespace phiguard::engine {

// Loads every pack in `dir` (default: util::BuiltinRulesDir()) and compiles them, with the
// database store in `options` (none by default: programs pass the user's cache).
util::Result<std::shared_ptr<const scan::CompiledRules>> LoadBuiltinRules(
    const std::filesystem::path& dir = {}, const scan::BuildOptions& options = {});

// Loads the packs named on a command line: pack files, or directories of them.
util::Result<std::vector<rules::Pack>> LoadPacksFromPaths(
    const std::vector<std::filesystem::path>& paths);

}  // namespace phiguard::engine
