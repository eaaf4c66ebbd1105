#pragma once
// Options every rule-using subcommand shares: which packs, and whether to use the cache.

#include <CLI/CLI.hpp>
#include <memory>
#include <string>
#include <vector>

#include "scan/compiled_rules.h"
#include "util/error.h"

namespace phiguard::cli {

struct EngineOptions {
  std::vector<std::string> rule_paths;  // --rules: pack files or folders; default built-in
  bool no_cache = false;

  void AddTo(CLI::App& command);
  // The compiled rule set the options name.
  util::Result<std::shared_ptr<const scan::CompiledRules>> Load() const;
};

}  // namespace phiguard::cli
