#pragma once
// Which rules are in force on this machine: what phiguard-host enforces and what
// `phiguard scan` checks against by default, chosen in one place so they cannot differ.
//   built-in packs, then the system rules folder (config `rules_dir`), then the last
//   accepted signed bundle; organisation rules arrive later, through `configure`.

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "config/host_config.h"
#include "engine/rule_manager.h"
#include "scan/compiled_rules.h"
#include "util/error.h"

namespace phiguard::service {

// The system configuration (config::DefaultConfigPath()). Each wrong field is logged and
// the rest kept; an unreadable file is logged and the defaults used, as the host starts
// with what it can rather than not at all.
config::HostConfig LoadMachineConfig();

// The packs of every machine source. Fails only when the built-in packs do not load; a
// broken system pack is logged and skipped as a whole, since the built-in protection must
// not disappear because of it.
util::Result<engine::RuleInputs> MachineRuleInputs(const config::HostConfig& config);

// What a command that scans may use instead of the machine's sources.
struct RuleChoice {
  std::vector<std::filesystem::path> pack_paths;  // --rules: pack files or folders
  bool builtin_only = false;                      // --builtin-only
};

// The compiled rules a CLI command checks against: the packs named, or the built-in packs
// alone, or (the default) the machine's sources composed exactly as the host composes them.
util::Result<std::shared_ptr<const scan::CompiledRules>> LoadChosenRules(
    const RuleChoice& choice, const scan::BuildOptions& build);

// The allow-list the host starts with (the system configuration's `allow_list`) when the
// choice is the machine's sources; none with --rules or --builtin-only. Read without
// logging: LoadChosenRules has reported the file's problems already.
std::vector<std::string> ChosenAllowList(const RuleChoice& choice);

}  // namespace phiguard::service
