// Start-of-match in Hyperscan versus the end-anchored RE2 confirm we use (issue #2 asks
// for the measurement; the NOTE in scan/compiled_rules.h records the numbers). Compiles
// the built-in packs' pattern rules with and without HS_FLAG_SOM_LEFTMOST and scans the
// same posts with each.

#include <benchmark/benchmark.h>

#include <chrono>
#include <string>

#include "corpus.h"
#include "engine/rule_loading.h"
#include "rules/pack_loader.h"
#include "scan/hyperscan_database.h"
#include "util/paths.h"

namespace {

using namespace phiguard;

std::vector<scan::Expression> PatternExpressions(unsigned int extra_flags) {
  auto packs = rules::LoadPackDirectory(util::BuiltinRulesDir());
  if (!packs.ok()) throw std::runtime_error(packs.error().Describe());
  std::vector<scan::Expression> expressions;
  for (const auto& pack : packs.value()) {
    for (const auto& rule : pack.rules) {
      if (rule.pattern.empty()) continue;
      const unsigned int flags = (rule.caseless ? HS_FLAG_CASELESS : 0u) | extra_flags;
      expressions.push_back({rule.pattern, flags, static_cast<unsigned int>(expressions.size())});
    }
  }
  return expressions;
}

void Compile(benchmark::State& state, unsigned int extra_flags) {
  const auto expressions = PatternExpressions(extra_flags);
  for (auto _ : state) {
    auto db = scan::CompileBlockDatabase(expressions);
    if (auto* failure = std::get_if<scan::CompileFailure>(&db)) {
      // Print which pattern Hyperscan refuses under start-of-match, and why.
      static std::string message;
      message = "pattern " + std::to_string(failure->expression_index) + ": " + failure->message;
      state.SkipWithError(message.c_str());
      return;
    }
  }
  state.counters["patterns"] = static_cast<double>(expressions.size());
}
void BM_CompileWithoutSom(benchmark::State& state) { Compile(state, 0); }
void BM_CompileWithSom(benchmark::State& state) { Compile(state, HS_FLAG_SOM_LEFTMOST); }
BENCHMARK(BM_CompileWithoutSom)->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK(BM_CompileWithSom)->Unit(benchmark::kMillisecond)->Iterations(3);

void Scan(benchmark::State& state, unsigned int extra_flags) {
  auto compiled = scan::CompileBlockDatabase(PatternExpressions(extra_flags));
  if (!std::holds_alternative<scan::DatabasePtr>(compiled)) {
    state.SkipWithError("does not compile with these flags");
    return;
  }
  auto db = std::move(std::get<scan::DatabasePtr>(compiled));
  auto scratch = std::move(scan::AllocateScratch(db.get())).value();
  const auto text = bench::PhiHeavyPost(static_cast<std::size_t>(state.range(0)));
  std::size_t matches = 0;
  for (auto _ : state) {
    hs_scan(
        db.get(), text.data(), static_cast<unsigned int>(text.size()), 0, scratch.get(),
        [](unsigned int, unsigned long long, unsigned long long, unsigned int, void* ctx) {
          ++*static_cast<std::size_t*>(ctx);
          return 0;
        },
        &matches);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * state.range(0));
}
void BM_PrefilterScanWithoutSom(benchmark::State& state) { Scan(state, 0); }
void BM_PrefilterScanWithSom(benchmark::State& state) { Scan(state, HS_FLAG_SOM_LEFTMOST); }
BENCHMARK(BM_PrefilterScanWithoutSom)->Arg(1024)->Arg(64 * 1024);
BENCHMARK(BM_PrefilterScanWithSom)->Arg(1024)->Arg(64 * 1024);

}  // namespace
