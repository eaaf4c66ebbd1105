// What makes the Hyperscan databases big and slow (issue 18): compiles subsets of the rule
// set's expressions the way CompiledRules does (scan::CompileBlockDatabase, one expression
// per pattern rule with its caseless flag, term lists as scan::TermListExpressions) and
// reports each subset's hs_database_size and hs_scan CPU time over 64 KB texts.
//
//   phiguard_database_anatomy [--packs DIR] [--reps N] [--cold] [summary|packs|rules|terms]
//
//   summary  term lists and all patterns as one database each (the host's layout before cue
//            patterns had a database of their own), and the raw matches each pattern rule
//            reports per text
//   packs    per pack: its patterns alone, and the pattern database without them
//   rules    per pattern rule: alone
//   terms    per term rule: alone, and the term database without it
//   without ID...  the pattern database without each named rule, then without all of them
//   group ID...    the pattern database without all the named rules, and them alone
//   split GROUP... term lists + all patterns against term lists + one database per GROUP (packs
//                  joined by '+') + the rest of the patterns, scanned in turn, alternating,
//                  hot and cold, with the 1 KB and 64 KB texts
//
// Times are CPU time of one hs_scan, the median of --reps (default 15). With --cold, every
// scan follows a write over 64 MiB, so the database is fetched from memory as a first paste
// fetches it. A tool for measuring, not a test: it prints and asserts nothing.

#include <hs/hs.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <map>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "corpus.h"
#include "engine/rule_loading.h"
#include "scan/hyperscan_database.h"
#include "scan/term_set.h"
#include "util/normalized_text.h"

namespace {

using namespace phiguard;

struct Options {
  std::string packs = "rules/packs";
  int reps = 15;
  bool cold = false;
  std::string mode = "summary";
  std::vector<std::string> ids;  // for `without`
};

struct RuleExpressions {
  std::string pack;
  std::string rule;
  bool term_list = false;
  std::vector<scan::Expression> expressions;  // ids set when a subset is compiled
};

struct Text {
  std::string name;
  std::string bytes;  // normalised, as the scanner gets it
};

double CpuMicros() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e6 + static_cast<double>(ts.tv_nsec) / 1e3;
}

std::vector<char>& EvictionBuffer() {
  static std::vector<char> buffer(std::size_t{64} << 20, 1);
  return buffer;
}

void Evict() {
  auto& buffer = EvictionBuffer();
  for (std::size_t i = 0; i < buffer.size(); i += 64) buffer[i] = static_cast<char>(buffer[i] + 1);
}

struct Counted {
  std::map<unsigned int, std::size_t> per_id;
  std::size_t total = 0;
};

int CountMatch(unsigned int id, unsigned long long, unsigned long long, unsigned int, void* ctx) {
  auto* counted = static_cast<Counted*>(ctx);
  ++counted->per_id[id];
  ++counted->total;
  return 0;
}

int IgnoreMatch(unsigned int, unsigned long long, unsigned long long, unsigned int, void* ctx) {
  ++*static_cast<std::size_t*>(ctx);
  return 0;
}

struct Database {
  scan::DatabasePtr db;
  scan::ScratchPtr scratch;
  std::size_t bytes = 0;
  double compile_ms = 0;
  bool ok = false;
};

Database Compile(const std::vector<RuleExpressions>& rules, const std::vector<std::size_t>& which) {
  std::vector<scan::Expression> expressions;
  for (const auto r : which) {
    for (auto e : rules[r].expressions) {
      e.id = static_cast<unsigned int>(r);  // matches report the rule
      expressions.push_back(std::move(e));
    }
  }
  Database out;
  if (expressions.empty()) return out;
  const double started = CpuMicros();
  auto compiled = scan::CompileBlockDatabase(expressions);
  out.compile_ms = (CpuMicros() - started) / 1e3;
  if (auto* failure = std::get_if<scan::CompileFailure>(&compiled)) {
    std::fprintf(stderr, "compile failed: %s\n", failure->message.c_str());
    return out;
  }
  out.db = std::move(std::get<scan::DatabasePtr>(compiled));
  hs_database_size(out.db.get(), &out.bytes);
  auto scratch = scan::AllocateScratch(out.db.get());
  if (!scratch.ok()) return out;
  out.scratch = std::move(scratch).value();
  out.ok = true;
  return out;
}

// Median CPU time of one scan of `text`, in microseconds.
double ScanMicros(const Database& db, const Text& text, const Options& options) {
  if (!db.ok) return 0;
  std::vector<double> times;
  std::size_t matches = 0;
  hs_scan(db.db.get(), text.bytes.data(), static_cast<unsigned int>(text.bytes.size()), 0,
          db.scratch.get(), IgnoreMatch, &matches);  // warm the code path once
  for (int i = 0; i < options.reps; ++i) {
    if (options.cold) Evict();
    const double started = CpuMicros();
    hs_scan(db.db.get(), text.bytes.data(), static_cast<unsigned int>(text.bytes.size()), 0,
            db.scratch.get(), IgnoreMatch, &matches);
    times.push_back(CpuMicros() - started);
  }
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

std::vector<RuleExpressions> LoadExpressions(const Options& options) {
  auto packs = engine::LoadPacksFromPaths({options.packs});
  if (!packs.ok()) {
    std::fprintf(stderr, "%s\n", packs.error().Describe().c_str());
    std::exit(2);
  }
  std::vector<RuleExpressions> out;
  for (const auto& pack : packs.value()) {
    for (const auto& rule : pack.rules) {
      RuleExpressions r{pack.id, rule.id, rule.pattern.empty(), {}};
      const unsigned int flags = rule.caseless ? HS_FLAG_CASELESS : 0u;
      if (!rule.pattern.empty()) {
        r.expressions.push_back({rule.pattern, flags, 0});
      } else {
        for (auto& e : scan::TermListExpressions(rule.terms))
          r.expressions.push_back({std::move(e), flags, 0});
      }
      out.push_back(std::move(r));
    }
  }
  return out;
}

std::vector<Text> Texts() {
  constexpr std::size_t k64 = 64 * 1024;
  std::vector<std::pair<std::string, std::string>> raw = {
      {"clean", bench::CleanPost(k64)},
      {"dev", bench::EvalPosts(k64)},
      {"situation", bench::RepeatToFill("the only patient in the county with an LVAD ", k64)},
      {"titled", bench::RepeatToFill("Mr. Abe ", k64)},
      {"note", bench::RepeatToFill("Pt is a 67 yo M w/ hx of CHF, DM2, admitted 3/2 for SOB. "
                                   "BP 142/88, HR 96. Plan: diuresis, recheck BMP in AM. ",
                                   k64)},
  };
  std::vector<Text> texts;
  for (auto& [name, bytes] : raw) texts.push_back({name, util::NormalizedText(bytes).text()});
  return texts;
}

void PrintHeader(const std::vector<Text>& texts) {
  std::printf("%-44s %10s %9s", "subset", "bytes", "compile");
  for (const auto& t : texts) std::printf(" %10s", t.name.c_str());
  std::printf("\n");
}

void PrintRow(const std::string& name, const Database& db, const std::vector<Text>& texts,
              const Options& options) {
  std::printf("%-44s %10zu %7.0fms", name.c_str(), db.bytes, db.compile_ms);
  for (const auto& t : texts) std::printf(" %8.0fus", ScanMicros(db, t, options));
  std::printf("\n");
  std::fflush(stdout);
}

std::vector<std::size_t> Select(const std::vector<RuleExpressions>& rules, bool term_lists) {
  std::vector<std::size_t> which;
  for (std::size_t r = 0; r < rules.size(); ++r)
    if (rules[r].term_list == term_lists) which.push_back(r);
  return which;
}

std::vector<std::size_t> Without(std::vector<std::size_t> which, std::size_t r) {
  std::erase(which, r);
  return which;
}

std::vector<std::string> SplitPacks(const std::string& group) {
  std::vector<std::string> packs;
  std::size_t from = 0;
  for (std::size_t plus; (plus = group.find('+', from)) != std::string::npos; from = plus + 1)
    packs.push_back(group.substr(from, plus - from));
  packs.push_back(group.substr(from));
  return packs;
}

// Total CPU time of scanning `text` with each database of `config` in turn (as Prefilter does).
double ScanAll(const std::vector<Database>& config, const std::string& text, bool cold) {
  if (cold) Evict();
  std::size_t matches = 0;
  const double started = CpuMicros();
  for (const auto& db : config) {
    hs_scan(db.db.get(), text.data(), static_cast<unsigned int>(text.size()), 0, db.scratch.get(),
            IgnoreMatch, &matches);
  }
  return CpuMicros() - started;
}

int Split(const std::vector<RuleExpressions>& rules, const Options& options) {
  std::vector<std::size_t> terms;
  std::vector<std::size_t> patterns;
  std::vector<std::vector<std::size_t>> groups(options.ids.size());
  std::vector<std::size_t> rest;
  for (std::size_t r = 0; r < rules.size(); ++r) {
    (rules[r].term_list ? terms : patterns).push_back(r);
    if (rules[r].term_list) continue;
    bool grouped = false;
    for (std::size_t g = 0; g < options.ids.size() && !grouped; ++g) {
      const auto packs = SplitPacks(options.ids[g]);
      if (std::find(packs.begin(), packs.end(), rules[r].pack) != packs.end()) {
        groups[g].push_back(r);
        grouped = true;
      }
    }
    if (!grouped) rest.push_back(r);
  }
  std::vector<Database> host;
  host.push_back(Compile(rules, terms));
  host.push_back(Compile(rules, patterns));
  std::vector<Database> split;
  split.push_back(Compile(rules, terms));
  split.push_back(Compile(rules, rest));
  for (const auto& g : groups) split.push_back(Compile(rules, g));
  for (const auto* config : {&host, &split}) {
    std::printf("%s:", config == &host ? "whole" : "split");
    for (const auto& db : *config) std::printf(" %zu", db.bytes);
    std::printf(" bytes\n");
  }
  std::vector<std::pair<std::string, std::string>> texts;
  for (const auto& t : Texts()) texts.emplace_back(t.name, t.bytes);
  texts.emplace_back("dev-1k", util::NormalizedText(bench::EvalPosts(1024)).text());
  std::printf("%-10s %5s %12s %12s\n", "text", "", "whole", "split");
  for (const bool cold : {false, true}) {
    for (const auto& [name, text] : texts) {
      std::vector<double> a;
      std::vector<double> b;
      ScanAll(host, text, false);
      ScanAll(split, text, false);
      for (int i = 0; i < options.reps; ++i) {
        a.push_back(ScanAll(host, text, cold));
        b.push_back(ScanAll(split, text, cold));
      }
      std::sort(a.begin(), a.end());
      std::sort(b.begin(), b.end());
      std::printf("%-10s %5s %10.0fus %10.0fus\n", name.c_str(), cold ? "cold" : "hot",
                  a[a.size() / 2], b[b.size() / 2]);
      std::fflush(stdout);
    }
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  spdlog::set_level(spdlog::level::warn);
  Options options;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--packs" && i + 1 < argc) {
      options.packs = argv[++i];
    } else if (arg == "--reps" && i + 1 < argc) {
      options.reps = std::max(1, std::atoi(argv[++i]));
    } else if (arg == "--cold") {
      options.cold = true;
    } else if (options.mode == "without" || options.mode == "group" || options.mode == "split") {
      options.ids.emplace_back(arg);
    } else {
      options.mode = std::string(arg);
    }
  }
  const auto rules = LoadExpressions(options);
  if (options.mode == "split") return Split(rules, options);
  const auto texts = Texts();
  const auto patterns = Select(rules, false);
  const auto terms = Select(rules, true);
  std::printf("%zu rules: %zu pattern rules, %zu term rules; %s, median of %d\n", rules.size(),
              patterns.size(), terms.size(), options.cold ? "cold" : "hot", options.reps);
  PrintHeader(texts);
  const auto whole_patterns = Compile(rules, patterns);
  const auto whole_terms = Compile(rules, terms);
  PrintRow("term lists", whole_terms, texts, options);
  PrintRow("all patterns", whole_patterns, texts, options);

  if (options.mode == "summary") {
    // Raw matches per pattern rule and text: what Prefilter gets before merging runs.
    std::printf("\nraw matches per pattern rule (rules with any)\n%-44s", "rule");
    for (const auto& t : texts) std::printf(" %10s", t.name.c_str());
    std::printf("\n");
    std::vector<Counted> counts(texts.size());
    for (std::size_t t = 0; t < texts.size(); ++t) {
      hs_scan(whole_patterns.db.get(), texts[t].bytes.data(),
              static_cast<unsigned int>(texts[t].bytes.size()), 0, whole_patterns.scratch.get(),
              CountMatch, &counts[t]);
    }
    for (const auto r : patterns) {
      bool any = false;
      for (const auto& c : counts) any = any || c.per_id.contains(static_cast<unsigned>(r));
      if (!any) continue;
      std::printf("%-44s", rules[r].rule.c_str());
      for (const auto& c : counts) {
        const auto it = c.per_id.find(static_cast<unsigned>(r));
        std::printf(" %10zu", it == c.per_id.end() ? 0 : it->second);
      }
      std::printf("\n");
    }
  } else if (options.mode == "packs") {
    std::map<std::string, std::vector<std::size_t>> by_pack;
    for (const auto r : patterns) by_pack[rules[r].pack].push_back(r);
    for (const auto& [pack, which] : by_pack) {
      PrintRow(pack + " alone (" + std::to_string(which.size()) + ")", Compile(rules, which), texts,
               options);
      std::vector<std::size_t> rest;
      for (const auto r : patterns)
        if (rules[r].pack != pack) rest.push_back(r);
      PrintRow("  all patterns but " + pack, Compile(rules, rest), texts, options);
    }
  } else if (options.mode == "rules") {
    for (const auto r : patterns) PrintRow(rules[r].rule, Compile(rules, {r}), texts, options);
  } else if (options.mode == "terms") {
    for (const auto r : terms) {
      PrintRow(rules[r].rule + " alone", Compile(rules, {r}), texts, options);
      PrintRow("  term lists without it", Compile(rules, Without(terms, r)), texts, options);
    }
  } else if (options.mode == "without" || options.mode == "group") {
    auto rest = patterns;
    std::vector<std::size_t> named;
    for (const auto& id : options.ids) {
      for (const auto r : patterns) {
        if (rules[r].rule != id) continue;
        if (options.mode == "without")
          PrintRow("without " + id, Compile(rules, Without(patterns, r)), texts, options);
        rest = Without(rest, r);
        named.push_back(r);
      }
    }
    PrintRow("without the " + std::to_string(named.size()) + " named", Compile(rules, rest), texts,
             options);
    PrintRow("the " + std::to_string(named.size()) + " named alone", Compile(rules, named), texts,
             options);
  }
  return 0;
}
