// Scan time with the built-in packs (docs/design.md budget: 1 KB p99 <= 100 us, 64 KB <= 1 ms).

#include <benchmark/benchmark.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "corpus.h"
#include "engine/engine.h"
#include "engine/rule_loading.h"
#include "scan/voice_score.h"

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

// Dense pastes: one phrase repeated to 1, 16 and 64 KB, each dense with candidates for one
// family of rules. The first-paste budget is 5 ms at 64 KB (docs/design.md); the three
// sizes show whether cost grows with the text (bytes_per_second stays flat) or faster, as
// it did when each finding searched all the others (issue 18).
void BM_ScanDense(benchmark::State& state, std::string_view phrase) {
  const auto text = bench::RepeatToFill(phrase, static_cast<std::size_t>(state.range(0)));
  auto& engine = SharedEngine();
  std::size_t findings = 0;
  for (auto _ : state) findings = engine.Scan(text).findings.size();
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(text.size()));
  state.counters["findings"] = static_cast<double>(findings);
}
void DenseSizes(benchmark::internal::Benchmark* rows) {
  rows->Arg(1024)->Arg(16 * 1024)->Arg(64 * 1024)->Unit(benchmark::kMicrosecond);
}
// The cases issue 18 names: a titled name every 8 bytes, identifier lines, a clinical note,
// names with dates (some of birth, which pair with the name).
BENCHMARK_CAPTURE(BM_ScanDense, titled_name, "Mr. Abe ")->Apply(DenseSizes);
BENCHMARK_CAPTURE(BM_ScanDense, identifier_lines,
                  "SSN 219-44-7816, call (617) 555-0142, seen 03/14/2024.\n")
    ->Apply(DenseSizes);
BENCHMARK_CAPTURE(BM_ScanDense, clinical_note,
                  "Pt Maria Lopez, MRN 44820193, DOB 7/4/1931, admitted 03/14/2024 with chest "
                  "pain, room 412. Daughter Ana Lopez at (617) 555-0142. Hx CHF, DM2; on "
                  "metoprolol. ")
    ->Apply(DenseSizes);
BENCHMARK_CAPTURE(BM_ScanDense, names_dates, "Maria Lopez 03/14/2024, John Smith DOB 11/02/1948; ")
    ->Apply(DenseSizes);
// Other shapes found while hunting for the worst case: capitalised words, all names; CSV
// numbers; a situational phrase; labelled identifiers; names in capitals.
BENCHMARK_CAPTURE(BM_ScanDense, full_names, "Maria Lopez Garcia Smith Jones ")->Apply(DenseSizes);
BENCHMARK_CAPTURE(BM_ScanDense, csv_numbers, "4411,2209,8812,7703,1190,5521\n")->Apply(DenseSizes);
BENCHMARK_CAPTURE(BM_ScanDense, situation, "the only patient in the county with an LVAD ")
    ->Apply(DenseSizes);
BENCHMARK_CAPTURE(BM_ScanDense, labelled_ids, "MRN 44820193 SSN 219-44-7816 DOB 7/4/1931 ")
    ->Apply(DenseSizes);
BENCHMARK_CAPTURE(BM_ScanDense, capital_names, "BARBARA KOWALCZYK ")->Apply(DenseSizes);

// Titled invented names that never repeat ("Mr. Bababa Ms. Bebaba ..."): every one a
// candidate for the titled-name rule that its word checks then reject (no list holds
// them), so nothing a scan remembers per repeated span helps, and the cost is all
// candidates, hardly any findings (issue 18's worst cases include it).
std::string DistinctTitledNames(std::size_t bytes) {
  constexpr std::array<std::string_view, 4> kTitles = {"Mr. ", "Ms. ", "Mrs. ", "Dr. "};
  constexpr std::string_view kConsonants = "bdfgklmnprstvz";
  constexpr std::string_view kVowels = "aeiou";
  std::string text;
  for (std::uint32_t n = 0;; ++n) {
    std::string name(kTitles[n % kTitles.size()]);
    // Three syllables from the counter: no name comes twice in 64 KB (343,000 of them).
    for (std::uint32_t rest = n, syllable = 0; syllable < 3; ++syllable, rest /= 70) {
      const char consonant = kConsonants[rest % 70 / kVowels.size()];
      name += syllable == 0 ? static_cast<char>(consonant - 'a' + 'A') : consonant;
      name += kVowels[rest % kVowels.size()];
    }
    name += ' ';
    if (text.size() + name.size() > bytes) break;
    text += name;
  }
  return text;
}

void BM_ScanDistinctTitledNames(benchmark::State& state) {
  const auto text = DistinctTitledNames(static_cast<std::size_t>(state.range(0)));
  auto& engine = SharedEngine();
  std::size_t findings = 0;
  for (auto _ : state) findings = engine.Scan(text).findings.size();
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(text.size()));
  state.counters["findings"] = static_cast<double>(findings);
}
BENCHMARK(BM_ScanDistinctTitledNames)->Apply(DenseSizes);

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

// The post-voice model's share of a scan: splitting the text into words and pairs and
// looking each up (done once per scan that has a linked finding left to judge).
void BM_VoiceScore(benchmark::State& state) {
  const auto text = bench::EvalPosts(static_cast<std::size_t>(state.range(0)));
  const auto* model = BuiltinRules()->voice_model();
  if (text.empty() || model == nullptr) {
    state.SkipWithError("no posts or no voice model in the built-in packs: skipped");
    return;
  }
  for (auto _ : state) {
    const scan::VoiceScore score(text, *model);
    benchmark::DoNotOptimize(score.Probability(0, 1));
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * state.range(0));
}
BENCHMARK(BM_VoiceScore)->Arg(1024)->Arg(64 * 1024);

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

// The same 64 KB of staff posts scanned whole (arg 65536) and in pieces of about `arg`
// bytes, each cut after a post: every row scans the same text, so a scan whose cost grows
// with the text's length alone takes the same time in every row, and one that grows faster
// (each finding searching the whole text) shows as the whole costing more than its pieces.
// NOTE: BM_ScanEvalPosts costs more per finding as it grows (6.9 us at 1 KB, 13.7 at 64 KB)
// because its rows are different texts: 1 KB repeated stays in the caches, 64 KB of
// varied posts does not (docs/performance.md, fifth round). These rows tell the two apart.
std::vector<std::string> EvalPostPieces(std::size_t piece_bytes) {
  const auto text = bench::EvalPosts(64 * 1024);
  std::vector<std::string> pieces;
  for (std::size_t from = 0; from < text.size();) {
    std::size_t cut = text.find("\n\n", std::min(text.size(), from + piece_bytes));
    cut = cut == std::string::npos ? text.size() : cut + 2;
    pieces.push_back(text.substr(from, cut - from));
    from = cut;
  }
  return pieces;
}

void BM_ScanEvalPostsInPieces(benchmark::State& state) {
  const auto pieces = EvalPostPieces(static_cast<std::size_t>(state.range(0)));
  if (pieces.empty()) {
    state.SkipWithError("no posts in tests/eval/posts/*.jsonl: skipped");
    return;
  }
  auto& engine = SharedEngine();
  std::size_t findings = 0;
  std::size_t bytes = 0;
  for (const auto& piece : pieces) bytes += piece.size();
  for (auto _ : state) {
    findings = 0;
    for (const auto& piece : pieces) findings += engine.Scan(piece).findings.size();
  }
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(bytes));
  state.counters["findings"] = static_cast<double>(findings);
  state.counters["pieces"] = static_cast<double>(pieces.size());
}
BENCHMARK(BM_ScanEvalPostsInPieces)
    ->Arg(1024)
    ->Arg(4096)
    ->Arg(16384)
    ->Arg(64 * 1024)
    ->Unit(benchmark::kMicrosecond);

}  // namespace
