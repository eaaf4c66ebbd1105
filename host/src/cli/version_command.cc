// `phiguard version`: what support needs to know in one line.

#include <hs/hs.h>

#include <iostream>

#include "cache/system_first_store.h"
#include "cli/commands.h"
#include "engine/rule_loading.h"
#include "version.h"

namespace phiguard::cli {

void AddVersionCommand(CLI::App& app, int& exit_code) {
  auto* command = app.add_subcommand("version",
                                     "Print the versions of PHI Guard, its engine "
                                     "and the built-in rules");
  command->callback([&exit_code] {
    std::cout << "phiguard " << PHIGUARD_VERSION << "\nhyperscan " << hs_version() << "\n";
    auto rules = engine::LoadBuiltinRules({}, {.cache = cache::SystemFirstStore::ForThisMachine()});
    if (rules.ok()) {
      std::cout << "rules " << rules.value()->version() << "\n";
    } else {
      std::cout << "rules unavailable: " << rules.error().Describe() << "\n";
    }
    exit_code = kExitClean;
  });
}

}  // namespace phiguard::cli
