#pragma once
// A rule set ready to scan: every pack's rules compiled into Hyperscan block-mode
// databases (the prefilter: term lists in one, cue patterns in another, the other patterns
// in a third), plus per-rule RE2 confirm patterns and validators.
// Immutable once built, so a running host can swap sets atomically between scans.

#include <hs/hs.h>
#include <re2/re2.h>

#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "rules/rule.h"
#include "scan/context_index.h"
#include "scan/database_store.h"
#include "scan/hyperscan_database.h"
#include "scan/isolated_compile.h"
#include "scan/term_set.h"
#include "scan/validators.h"
#include "util/error.h"

namespace phiguard::scan {

// NOTE: start-of-match measured against this design (tests/bench/som_bench.cc, release
// build, 2-core VM, 2026-11-22): the 57 pattern rules of the default packs compile in
// ~0.5 s without HS_FLAG_SOM_LEFTMOST; with it Hyperscan refuses the set ("Pattern is too
// large", the obfuscated-email rule). The original design measured SOM at ~5x the compile time and
// 3-4x the scan time on a similar set. Block-mode prefilter plus an RE2 pass over at most
// max_width bytes per candidate costs ~15 us for a 1 KB post in total, so SOM stays off.
// What RE2 gets for one of a rule's matchers. Each Scanner compiles it on first use and may
// release it again (scan/regex_cache.h). With the compiled-rules cache, start-up compiled every
// rule's RE2 although most never see a candidate in a session; the cache key covers what
// RE2 gets (pattern, case, span group), so a cached set was fully checked when it was made.
struct RegexSource {
  std::string pattern;  // empty for term rules, which have no RE2
  re2::RE2::Options options;
};

struct CompiledRule {
  const rules::Rule* rule = nullptr;
  // Pattern rules: the rule's pattern anchored at the end (`(?:p)\z`). Hyperscan reports
  // only where a match ends; RE2 run on the text up to that end recovers the start and the
  // span group (the two-stage matching of Nosey Parker). Empty for term rules.
  RegexSource confirm;
  // The pattern, leftmost-longest, run forward from the start of a confirmed match to see
  // whether it reaches a later end (a phrase that ends at every word). Compiled only if a
  // rule's ends come that close together.
  RegexSource extend;
  Validator validator = nullptr;
  unsigned int max_width = 0;  // longest possible match in bytes; UINT_MAX if unbounded
  // Pattern rules: the capture that is a finding's span. The rule's span group, or 0 when
  // that group is always the whole match (SpanGroupIsWholeMatch, scan/pattern_width.h).
  // NOTE: asking RE2 for a group adds a submatch pass over the match: four times the cost
  // of finding the match alone with the titled-name pattern (0.24 vs 0.06 us a confirm).
  std::uint32_t span_capture = 0;
  TermSet terms;           // term rules: which term ends where
  ContextPhrases context;  // the rule's context phrases, arranged for ContextIndex
  AdjacentDrops drops;     // the rule's drop_before / drop_after words, hashed
};

// Where a Hyperscan match id leads: the rule (one expression per rule).
struct MatchTarget {
  std::uint32_t rule_index = 0;
};

// A rule set larger than this is refused (SECURITY.md "Limits"): the default packs have
// under a hundred rules and a few hundred expressions; a set a hundred times that is a
// mistake or an attack on the compiler, not a policy.
inline constexpr std::size_t kMaxRulesInSet = 10000;
inline constexpr std::size_t kMaxExpressionsInSet = 50000;

struct BuildOptions {
  // Where compiled databases are kept between runs (cache::FileDatabaseStore::ForUser() in
  // the programs); null compiles every time.
  std::shared_ptr<DatabaseStore> cache;
  // Appended to the pack versions in version(), e.g. "+bundle@2026.11.22" so `hello` and
  // every `result` say which signed bundle is in force.
  std::string version_suffix;
  // Set for rule sets that hold packs from outside the install: Hyperscan compiles in a
  // child process under these limits (scan/isolated_compile.h). Unset: in process.
  std::optional<CompileLimits> compile_limits;
  // Fail with kNotInCache instead of compiling when `cache` has no usable set: for asking
  // whether a cache holds the set in force without paying for a compile (`phiguard doctor`).
  bool cache_only = false;
  // Tests only: called when Build starts, on the building thread, to observe that a
  // compile is in progress (engine::RuleManager compiles outside its lock).
  std::function<void()> on_build_start;
};

struct BuildStats {
  std::size_t expressions = 0;
  double build_ms = 0;             // whole build, including RE2 and the cache
  bool from_cache = false;         // Hyperscan database loaded instead of compiled
  bool cache_in_place = false;     // ... and used where the cache file lies, not copied
  std::string cache_key;           // the set's key in BuildOptions::cache (empty without one)
  std::size_t database_bytes = 0;  // all databases together
};

class CompiledRules {
 public:
  // Compiles `packs`. Any rule that fails (bad pattern in either engine, unknown validator,
  // a pattern that can match empty text) fails the whole set, with "source: rule-id: why".
  static util::Result<std::shared_ptr<const CompiledRules>> Build(std::vector<rules::Pack> packs,
                                                                  const BuildOptions& options);

  const std::vector<rules::Pack>& packs() const { return packs_; }
  // The post-voice model of the one pack that carries it, or nullptr (rules/voice_model.h).
  const rules::VoiceModel* voice_model() const { return voice_model_; }
  const std::vector<CompiledRule>& rules() const { return rules_; }
  const MatchTarget& target(unsigned int id) const { return targets_[id]; }
  std::size_t target_count() const { return targets_.size(); }  // match ids are 0..count-1
  // The prefilter: every database is scanned over the whole text, and match ids are unique
  // across them (GroupExpressions in compiled_rules.cc says why there are several).
  const std::vector<DatabasePtr>& databases() const { return databases_; }
  // A scratch for every database: the one allocated when a cached set was checked, to the
  // first caller (each allocation checks the databases' CRC again, a pass over 17 MB of the
  // default packs), then new ones.
  util::Result<ScratchPtr> TakeScratch() const;
  // "pack@version+pack@version": what `hello` and every `result` report.
  const std::string& version() const { return version_; }
  const BuildStats& stats() const { return stats_; }
  std::size_t rule_count() const { return rules_.size(); }

 private:
  CompiledRules() = default;

  // What the stages below pass on: every Hyperscan expression of the set, with what error
  // messages and the cache need to know about it.
  struct ExpressionPlan {
    std::vector<Expression> expressions;  // expression i reports match id i (targets_[i])
    std::vector<std::string> owner;       // per expression: "source: rule-id"
    // What RE2 gets, and which expressions are term lists (their own database): with the
    // expressions, the cache key.
    std::string signature;
    std::vector<std::pair<std::size_t, std::string>> pattern_rules;  // rule index, where
    std::vector<ExpressionInfo> infos;  // per expression: widths, from Hyperscan or the cache
  };

  // The stages of a build, in order (CompileRules runs them).
  util::Result<bool> CompileRules(const BuildOptions& options);
  util::Result<bool> CheckRuleCount() const;
  // Per rule: its validator, its RE2 matchers or term set, and its expressions.
  util::Result<ExpressionPlan> PlanExpressions();
  // Takes the databases from the cache when a cached set checks out against these rules.
  bool LoadFromCache(DatabaseStore& cache, const std::string& key, ExpressionPlan& plan);
  // A set not seen before: every RE2 compiles and its span group exists (a cached set
  // passed this when it was stored; its RE2s compile on first use).
  util::Result<bool> CheckRegexes(const ExpressionPlan& plan) const;
  util::Result<bool> AnalyseExpressions(ExpressionPlan& plan) const;
  util::Result<bool> CompileDatabases(const ExpressionPlan& plan, const BuildOptions& options);
  // Each rule's widest match, which bounds its confirm window.
  void SetWidths(const ExpressionPlan& plan);

  std::vector<rules::Pack> packs_;
  const rules::VoiceModel* voice_model_ = nullptr;  // owned by a pack in packs_
  std::vector<CompiledRule> rules_;
  std::vector<MatchTarget> targets_;
  std::vector<DatabasePtr> databases_;
  // The scratch the cache check allocated, for the first Scanner (TakeScratch).
  mutable std::mutex spare_scratch_mutex_;
  mutable ScratchPtr spare_scratch_;
  std::string version_;
  BuildStats stats_;
};

}  // namespace phiguard::scan
