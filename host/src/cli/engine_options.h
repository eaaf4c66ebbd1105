#pragma once
// Options every rule-using subcommand shares: which rules, and whether to use the cache.
// By default a command uses the rules this machine's host enforces (service/rule_sources.h).

#include <CLI/CLI.hpp>
#include <memory>
#include <string>
#include <vector>

#include "scan/compiled_rules.h"
#include "util/error.h"

namespace phiguard::cli {

struct EngineOptions {
  std::vector<std::string> rule_paths;  // --rules: pack files or folders
  bool builtin_only = false;            // --builtin-only: not the system packs or bundle
  bool no_cache = false;

  void AddTo(CLI::App& command);
  // The compiled rule set the options name.
  util::Result<std::shared_ptr<const scan::CompiledRules>> Load() const;
  // The allow-list the host would start with for those rules (service::ChosenAllowList).
  std::vector<std::string> AllowList() const;
};

}  // namespace phiguard::cli
