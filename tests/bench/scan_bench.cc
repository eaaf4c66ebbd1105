// Scan time with the built-in packs (DESIGN.md budget: 1 KB p99 <= 100 us, 64 KB <= 1 ms).

#include <benchmark/benchmark.h>

#include "corpus.h"
#include "engine/engine.h"
#include "engine/rule_loading.h"

namespace {

using namespace phiguard;

engine::Engine& SharedEngine() {
  static engine::Engine engine = [] {
    auto rules = engine::LoadBuiltinRules();
    if (!rules.ok()) throw std::runtime_error(rules.error().Describe());
    return engine::Engine(std::move(rules).value());
  }();
  return engine;
}

void BM_ScanClean(benchmark::State& state) {
  const auto text = bench::CleanPost(static_cast<std::size_t>(state.range(0)));
  auto& engine = SharedEngine();
  for (auto _ : state) benchmark::DoNotOptimize(engine.Scan(text));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * state.range(0));
}
BENCHMARK(BM_ScanClean)->Arg(100)->Arg(1024)->Arg(5 * 1024)->Arg(64 * 1024);

void BM_ScanPhiHeavy(benchmark::State& state) {
  const auto text = bench::PhiHeavyPost(static_cast<std::size_t>(state.range(0)));
  auto& engine = SharedEngine();
  std::size_t findings = 0;
  for (auto _ : state) findings = engine.Scan(text).findings.size();
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * state.range(0));
  state.counters["findings"] = static_cast<double>(findings);
}
BENCHMARK(BM_ScanPhiHeavy)->Arg(100)->Arg(1024)->Arg(5 * 1024)->Arg(64 * 1024);

// A long paste of real-style staff posts, about one in two carrying PHI.
void BM_ScanEvalPosts(benchmark::State& state) {
  const auto text = bench::EvalPosts(static_cast<std::size_t>(state.range(0)));
  if (text.empty()) {
    state.SkipWithError("../shared/eval/posts/posts.jsonl not found");
    return;
  }
  auto& engine = SharedEngine();
  std::size_t findings = 0;
  for (auto _ : state) findings = engine.Scan(text).findings.size();
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * state.range(0));
  state.counters["findings"] = static_cast<double>(findings);
}
BENCHMARK(BM_ScanEvalPosts)->Arg(1024)->Arg(4096)->Arg(16384)->Arg(64 * 1024);

}  // namespace
