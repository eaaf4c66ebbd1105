// `phiguard rules …`: the compliance loop. `test` checks packs the way CI does;
// `compile` builds the user's database cache ahead of the first scan, or with
// --system-cache the machine's (cli/system_cache.h); `patterns`
// prints the patterns the engines compile, for tools that read packs without the loader.

#include <iostream>
#include <nlohmann/json.hpp>

#include "cache/file_database_store.h"
#include "cli/commands.h"
#include "cli/engine_options.h"
#include "cli/system_cache.h"
#include "engine/rule_checker.h"
#include "engine/rule_loading.h"
#include "rules/covered_sites.h"
#include "rules/pack_loader.h"
#include "rules/rule.h"
#include "scan/validators.h"
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

// One JSON line per pattern rule, the pattern as the engines get it: lines joined, free
// spacing removed, fragments expanded (rules/README.md "Readable patterns").
int RunRulesPatterns(const std::vector<std::string>& pack_args) {
  std::vector<std::filesystem::path> paths(pack_args.begin(), pack_args.end());
  if (paths.empty()) paths.push_back(util::BuiltinRulesDir());
  auto packs = engine::LoadPacksFromPaths(paths);
  if (!packs.ok()) {
    std::cerr << "phiguard: " << packs.error().Describe() << "\n";
    return kExitUsage;
  }
  for (const auto& pack : packs.value()) {
    for (const auto& rule : pack.rules) {
      if (rule.pattern.empty()) continue;
      const nlohmann::json line = {{"pack", pack.id}, {"id", rule.id}, {"pattern", rule.pattern}};
      std::cout << line.dump() << "\n";
    }
  }
  return kExitClean;
}

struct RulesCompileOptions {
  EngineOptions engine;
  std::string system_cache_dir;  // --system-cache DIR (empty: the default folder)
  bool check = false;            // --check
};

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
            << " bytes, " << stats.build_ms << " ms" << (stats.from_cache ? " (cached)" : "");
  // A set root compiled for the machine is used from there and not copied: say so, or
  // support looks for it in the user's folder.
  std::error_code ec;
  const auto system_file = cache::CacheFilePath(util::SystemCacheDir(), stats.cache_key);
  const bool in_user_cache =
      std::filesystem::exists(cache::CacheFilePath(util::CacheDir(), stats.cache_key), ec);
  if (stats.from_cache && !in_user_cache && std::filesystem::exists(system_file, ec)) {
    std::cout << "\ncache: " << system_file.string() << " (the system cache)\n";
  } else {
    std::cout << "\ncache: " << util::CacheDir().string() << "\n";
  }
  return kExitClean;
}

// The words a pack may use where the loader checks against a fixed list, from the lists
// the loader checks against: for pack authors, and for the tests that keep the schema,
// the extension and the docs in step with the code (tests/lint/check_vocabulary.py).
int RunRulesVocabulary() {
  const auto list = [](auto names) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto name : names) out.push_back(std::string(name));
    return out;
  };
  const nlohmann::json vocabulary = {{"categories", list(rules::KnownCategories())},
                                     {"surfaces", list(rules::KnownSurfaces())},
                                     {"validators", list(scan::ValidatorNames())},
                                     {"covered_sites", list(rules::BuiltInSiteHosts())}};
  std::cout << vocabulary.dump(1) << "\n";
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

  auto pattern_packs = std::make_shared<std::vector<std::string>>();
  auto* patterns = rules->add_subcommand(
      "patterns",
      "Print each rule's pattern as the engines compile it (lines joined, (?x) spacing and "
      "comments removed, fragments expanded), one JSON object a line");
  patterns->add_option("packs", *pattern_packs,
                       "Pack files or folders (default: the built-in packs)");
  patterns->callback([pattern_packs, &exit_code] { exit_code = RunRulesPatterns(*pattern_packs); });

  auto compile_options = std::make_shared<RulesCompileOptions>();
  auto* compile = rules->add_subcommand(
      "compile",
      "Compile the rules and store the database in this user's cache, or with "
      "--system-cache in the machine's cache every user's host reads");
  compile_options->engine.AddTo(*compile);
  auto* system_cache =
      compile
          ->add_option("--system-cache", compile_options->system_cache_dir,
                       "As root: compile the rules this machine's hosts start with into the "
                       "system cache (default " +
                           util::SystemCacheDir().string() + ")")
          ->expected(0, 1);
  compile
      ->add_flag("--check", compile_options->check,
                 "With --system-cache: say whether it holds the rules in force (exit 0) or "
                 "not (exit 1); writes nothing")
      ->needs(system_cache);
  compile->callback([compile_options, system_cache, &exit_code] {
    const auto& options = *compile_options;
    if (system_cache->count() == 0) {
      exit_code = RunRulesCompile(options.engine);
      return;
    }
    // The machine's set is what hosts start with; other rules there would never be read.
    if (!options.engine.rule_paths.empty() || options.engine.builtin_only ||
        options.engine.no_cache) {
      std::cerr << "phiguard: --system-cache compiles the rules this machine enforces; it "
                   "takes no --rules, --builtin-only or --no-cache\n";
      exit_code = kExitUsage;
      return;
    }
    exit_code = RunCompileSystemCache(options.system_cache_dir, options.check);
  });

  rules
      ->add_subcommand("vocabulary",
                       "Print the categories, surfaces and validators a pack may name (JSON)")
      ->callback([&exit_code] { exit_code = RunRulesVocabulary(); });

  AddBundleCommands(*rules, exit_code);
  AddExplainCommand(*rules, exit_code);
  AddUpdateCommand(*rules, exit_code);
}

}  // namespace phiguard::cli
