// `phiguard rules …`: the compliance loop. `test` checks packs the way CI does;
// `compile` builds the per-machine database cache ahead of the first scan.

#include <iostream>

#include "cli/commands.h"
#include "cli/engine_options.h"
#include "engine/rule_checker.h"
#include "engine/rule_loading.h"
#include "rules/pack_loader.h"
#include "util/paths.h"

namespace phiguard::cli {
namespace {

struct RulesTestOptions {
  std::vector<std::string> packs;
  bool strict = false;
};

int RunRulesTest(const RulesTestOptions& options) {
  std::vector<std::filesystem::path> paths(options.packs.begin(), options.packs.end());
  if (paths.empty()) paths.push_back(util::BuiltinRulesDir());
  auto packs = engine::LoadPacksFromPaths(paths);
  if (!packs.ok()) {
    std::cout << packs.error().Describe() << ": error\n0 rules: 1 errors, 0 warnings\n";
    return kExitFindings;
  }
  const auto report = engine::CheckPacks(std::move(packs).value());
  for (const auto& problem : report.problems) {
    const bool error = problem.level == engine::CheckProblem::Level::kError;
    std::cout << problem.where << ": " << (error ? "error" : "warning") << ": " << problem.message
              << "\n";
  }
  std::cout << report.rules << " rules: " << report.errors() << " errors, " << report.warnings()
            << " warnings (" << report.examples_run << " examples and negatives run)\n";
  const bool failed = report.errors() > 0 || (options.strict && report.warnings() > 0);
  return failed ? kExitFindings : kExitClean;
}

int RunRulesCompile(const EngineOptions& options) {
  EngineOptions forced = options;
  forced.no_cache = false;  // compiling is for filling the cache
  auto rules = forced.Load();
  if (!rules.ok()) {
    std::cerr << "phiguard: " << rules.error().Describe() << "\n";
    return kExitUsage;
  }
  const auto& stats = rules.value()->stats();
  std::cout << "rules " << rules.value()->version() << ": " << rules.value()->rule_count()
            << " rules, " << stats.expressions << " expressions, " << stats.database_bytes
            << " bytes, " << stats.build_ms << " ms" << (stats.from_cache ? " (cached)" : "")
            << "\ncache: " << util::CacheDir().string() << "\n";
  return kExitClean;
}

}  // namespace

void AddRulesCommand(CLI::App& app, int& exit_code) {
  auto* rules = app.add_subcommand("rules", "Test and compile rule packs");
  rules->require_subcommand(1);

  auto test_options = std::make_shared<RulesTestOptions>();
  auto* test = rules->add_subcommand(
      "test",
      "Run every rule's examples and negatives through the full pipeline and both "
      "engines, and lint the packs");
  test->add_option("packs", test_options->packs,
                   "Pack files or folders (default: the built-in packs)");
  test->add_flag("--strict", test_options->strict, "Fail on warnings too");
  test->callback([test_options, &exit_code] { exit_code = RunRulesTest(*test_options); });

  auto compile_options = std::make_shared<EngineOptions>();
  auto* compile = rules->add_subcommand(
      "compile", "Compile the rules and store the database in this machine's cache");
  compile_options->AddTo(*compile);
  compile->callback(
      [compile_options, &exit_code] { exit_code = RunRulesCompile(*compile_options); });

  AddBundleCommands(*rules, exit_code);
  AddExplainCommand(*rules, exit_code);
  AddUpdateCommand(*rules, exit_code);
}

}  // namespace phiguard::cli
