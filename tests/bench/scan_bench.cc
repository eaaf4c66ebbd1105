// Scan time with the built-in packs (docs/design.md budget: 1 KB p99 <= 100 us, 64 KB <= 1 ms).

#include <benchmark/benchmark.h>

#include "corpus.h"
#include "engine/engine.h"
#include "engine/rule_loading.h"

namespace {

using namespace phiguard;

std::shared_ptr<const scan::CompiledRules> BuiltinRules() {
  static const auto rules = [] {
    auto loaded = engine::LoadBuiltinRules();
    if (!loaded.ok()) throw std::runtime_error(loaded.error().Describe());
    return std::move(loaded).value();
  }();
  return rules;
}

// Whole scans: each row repeats one text, which the host's edit rescans would answer from
// memory, so they are off here (the rows measure a text the host has not seen).
engine::Engine& SharedEngine() {
  static engine::Engine engine(BuiltinRules(), engine::EditRescans::kOff);
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

// The worst 64 KB pastes we could construct, one phrase repeated: each is dense with
// candidates for one family of rules (titled names, capitalised words, numbers, situational
// shapes). The first-paste budget is 5 ms (docs/design.md); these rows show how far the
// worst cases sit from it.
constexpr std::string_view kWorstCases[] = {
    "Mr. Abe ",                                      // a titled name every 8 bytes
    "Maria Lopez Garcia Smith Jones ",               // capitalised words, all names
    "4411,2209,8812,7703,1190,5521\n",               // CSV of numbers
    "the only patient in the county with an LVAD ",  // a situational shape
    "MRN 44820193 SSN 219-44-7816 DOB 7/4/1931 ",    // labelled identifiers
    "BARBARA KOWALCZYK ",                            // names in capitals
};

void BM_ScanWorstCase(benchmark::State& state) {
  const auto phrase = kWorstCases[static_cast<std::size_t>(state.range(0))];
  std::string text;
  while (text.size() + phrase.size() <= 64 * 1024) text += phrase;
  auto& engine = SharedEngine();
  std::size_t findings = 0;
  for (auto _ : state) findings = engine.Scan(text).findings.size();
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(text.size()));
  state.counters["findings"] = static_cast<double>(findings);
}
BENCHMARK(BM_ScanWorstCase)
    ->DenseRange(0, static_cast<int64_t>(std::size(kWorstCases)) - 1)
    ->Unit(benchmark::kMillisecond);

// A long paste of real-style staff posts, about one in two carrying PHI.
void BM_ScanEvalPosts(benchmark::State& state) {
  const auto text = bench::EvalPosts(static_cast<std::size_t>(state.range(0)));
  if (text.empty()) {
    state.SkipWithError("no posts in tests/eval/posts/*.jsonl: skipped");
    return;
  }
  auto& engine = SharedEngine();
  std::size_t findings = 0;
  for (auto _ : state) findings = engine.Scan(text).findings.size();
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * state.range(0));
  state.counters["findings"] = static_cast<double>(findings);
}
BENCHMARK(BM_ScanEvalPosts)->Arg(1024)->Arg(4096)->Arg(16384)->Arg(64 * 1024);

// Typing into a long paste of staff posts, as the host sees it: each scan follows a
// one-character edit at the end (arg 0) or in the middle (arg 1) of 64 KB, and the host
// rescans around the edit (scan/edit_rescanner.h). Every 512 characters typed are deleted
// again in one edit, so the text stays about 64 KB.
void BM_TypeIntoEvalPosts(benchmark::State& state) {
  std::string text = bench::EvalPosts(64 * 1024);
  if (text.empty()) {
    state.SkipWithError("no posts in tests/eval/posts/*.jsonl: skipped");
    return;
  }
  engine::Engine engine(BuiltinRules(), engine::EditRescans::kOn);
  std::size_t at = state.range(0) == 0 ? text.size() : text.size() / 2;
  while (at < text.size() && (static_cast<unsigned char>(text[at]) & 0xC0) == 0x80) ++at;
  engine.Scan(text);
  constexpr std::string_view kTyped = "patient ";
  std::size_t typed = 0;
  std::size_t findings = 0;
  for (auto _ : state) {
    if (typed == 512) {
      text.erase(at, typed);
      typed = 0;
    } else {
      text.insert(at + typed, 1, kTyped[typed % kTyped.size()]);
      ++typed;
    }
    findings = engine.Scan(text).findings.size();
  }
  state.counters["findings"] = static_cast<double>(findings);
}
BENCHMARK(BM_TypeIntoEvalPosts)->ArgName("middle")->Arg(0)->Arg(1);

}  // namespace
