#include "scan/compiled_rules.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <climits>
#include <cstdint>
#include <variant>

#include "scan/pattern_width.h"
#include "util/ascii.h"
#include "util/normalized_text.h"
#include "util/paths.h"

namespace phiguard::scan {
namespace {

std::string Where(const rules::Pack& pack, const rules::Rule& rule) {
  return pack.source + ": " + rule.id;
}

// What each confirm and extend regex may hold: its programs and its DFA caches, which RE2
// grows as texts reach new states and gives back only with the regex (8 MiB each by
// default; the sum is bounded by releasing whole regexes, scan/regex_cache.h). They were
// what grew the host from 31 to 43 MB over twenty 64 KB scans of the dev posts (heaptrack:
// 10.6 MB at peak, all inside RE2::Match). A DFA that fills its share starts again, or
// RE2 matches with its NFA instead: the same matches, only slower, so the budget is one at
// which the scans measured no slower (docs/performance.md "Start-up and memory": at 1 MiB a
// repeated situational phrase took 84 ms instead of 12, its DFA starting over and over;
// 4 MiB keeps it at 12 and the host at 38 MB). The largest shipped program is about 3,000
// instructions (48 KB); a pattern too large for this is refused when its pack is compiled,
// as before, with RE2's reason.
constexpr std::int64_t kRegexMemoryBytes = std::int64_t{4} << 20;

re2::RE2::Options ConfirmOptions(const rules::Rule& rule) {
  // Latin-1 so RE2 sees bytes exactly as Hyperscan does (no HS_FLAG_UTF8): both engines
  // then agree on \b, \w and classes; patterns are written in ASCII.
  re2::RE2::Options options;
  options.set_encoding(re2::RE2::Options::EncodingLatin1);
  options.set_case_sensitive(!rule.caseless);
  options.set_log_errors(false);
  options.set_max_mem(kRegexMemoryBytes);
  return options;
}

re2::RE2::Options ExtendOptions(const rules::Rule& rule) {
  // Leftmost-longest, as the prefilter sees it: Hyperscan reports every end, and of the
  // matches from one start the longest is the one a reader means.
  auto options = ConfirmOptions(rule);
  options.set_longest_match(true);
  return options;
}

std::string JoinVersions(const std::vector<rules::Pack>& packs) {
  std::string version;
  for (const auto& pack : packs) {
    if (!version.empty()) version += '+';
    version += pack.id + '@' + pack.version;
  }
  return version.empty() ? "none" : version;
}

// NOTE: term lists and patterns compile into separate databases, scanned one after the
// other. Hyperscan delivers the matches of one database in text order, so every literal hit
// of a term list (thousands per 64 KB: a given name or health word ends inside many ordinary
// words) first makes the pattern engines catch up to that offset. Apart, a realistic
// 64 KB paste scans in 0.98 ms instead of 1.33 ms (term lists 0.12 ms, patterns 0.86 ms;
// release, 2-core VM, 2026-12-04), and match ids stay unique across them.
// NOTE: cue patterns compile apart from the other patterns. Together, the default packs'
// 401 patterns were one 18.1 MB database; the 149 cue patterns apart make 7.8 MB and the
// rest 9.9 MB, and scanned one after the other they took 64 KB of clean text in 3.6 ms
// instead of 4.4 and of the dev posts in 14-16 ms instead of 18-20 (alternating runs on the
// loaded 2-core VM, 2026-12-07; tests/bench/database_anatomy.cc `split`, docs/performance.md
// "Dense pastes, sixth round"). Each rule's expressions are in one database and Confirm
// settles each rule's matches on their own, so findings do not depend on the split (but for
// a paste past the raw-match cap, kept per database in scanner.cc, which is now cut later).
enum class ExpressionGroupId : std::uint8_t { kTermLists, kPatterns, kCuePatterns };
inline constexpr std::size_t kExpressionGroups = 3;

struct ExpressionGroup {
  std::vector<Expression> expressions;
  std::vector<std::size_t> set_index;  // per expression: its index in the whole set
};

// `group_of(i)`: the ExpressionGroupId of expression i.
template <typename Grouping>
std::vector<ExpressionGroup> GroupExpressions(const std::vector<Expression>& expressions,
                                              Grouping group_of) {
  std::array<ExpressionGroup, kExpressionGroups> all;
  for (std::size_t i = 0; i < expressions.size(); ++i) {
    auto& group = all[static_cast<std::size_t>(group_of(i))];
    group.expressions.push_back(expressions[i]);
    group.set_index.push_back(i);
  }
  std::vector<ExpressionGroup> groups;
  for (auto& group : all) {
    if (!group.expressions.empty()) groups.push_back(std::move(group));
  }
  // An empty set still goes to Hyperscan once, which refuses it with its own message.
  if (groups.empty()) groups.emplace_back();
  return groups;
}

ExpressionGroupId GroupOf(const CompiledRule& compiled) {
  if (!compiled.terms.empty()) return ExpressionGroupId::kTermLists;
  return compiled.rule->kind == rules::Kind::kCue ? ExpressionGroupId::kCuePatterns
                                                  : ExpressionGroupId::kPatterns;
}

// The longest term of a term rule, in bytes: its widest match (the expressions are plain
// literals). Taken from the rule, so no cache file can narrow it.
unsigned int LongestTerm(const rules::Rule& rule) {
  std::size_t longest = 0;
  for (const auto& term : rule.terms) longest = std::max(longest, term.size());
  return static_cast<unsigned int>(longest);
}

// Whether each cached width is the one these expressions have. Pattern widths bound the
// confirm window, so they are recomputed (about 20 ms for the default packs' patterns);
// a term rule's width comes from its terms instead (LongestTerm), so its cached widths
// only have to be plausible.
std::optional<std::string> CheckCachedWidths(const std::vector<ExpressionInfo>& infos,
                                             const std::vector<Expression>& expressions,
                                             const std::vector<CompiledRule>& rules,
                                             const std::vector<MatchTarget>& targets) {
  if (infos.size() != expressions.size()) return "it holds another number of expressions";
  // A pattern's width is read from the pattern itself (MaxWidthBound), never taken from the
  // file alone: a cached width can only widen it, which costs time and blinds nothing.
  // Re-deriving every width with Hyperscan was a third of a warm start.
  for (std::size_t i = 0; i < expressions.size(); ++i) {
    const auto& compiled = rules[targets[i].rule_index];
    const auto& cached = infos[i];
    if (!compiled.terms.empty() && (cached.min_width == 0 || cached.min_width > cached.max_width ||
                                    cached.max_width > LongestTerm(*compiled.rule))) {
      return "widths of " + compiled.rule->id + " do not fit its terms";
    }
  }
  return std::nullopt;
}

struct ProbeState {
  const std::vector<MatchTarget>* targets;
  std::uint32_t rule_index;
  bool reached = false;
  bool unknown_id = false;
};

int ProbeMatch(unsigned int id, unsigned long long, unsigned long long, unsigned int,
               void* context) {
  auto* probe = static_cast<ProbeState*>(context);
  if (id >= probe->targets->size()) {
    probe->unknown_id = true;
    return 1;
  }
  if ((*probe->targets)[id].rule_index == probe->rule_index) {
    probe->reached = true;
    return 1;  // enough: stop the scan
  }
  return 0;
}

// Which database of a set holds each group's expressions (npos: a group with none), and how
// many databases the set has: groups compile in ExpressionGroupId order, the empty ones
// left out (GroupExpressions, CompileDatabases).
struct DatabaseOfGroup {
  std::array<std::size_t, kExpressionGroups> index;
  std::size_t count = 0;
};
DatabaseOfGroup DatabasesOfGroups(const std::vector<CompiledRule>& rules,
                                  const std::vector<MatchTarget>& targets) {
  std::array<bool, kExpressionGroups> present{};
  for (const auto& target : targets) {
    present[static_cast<std::size_t>(GroupOf(rules[target.rule_index]))] = true;
  }
  DatabaseOfGroup of;
  for (std::size_t group = 0; group < kExpressionGroups; ++group) {
    of.index[group] = present[group] ? of.count++ : std::string::npos;
  }
  return of;
}

// Whether the cached databases behave as these rules: every rule with examples must be
// reached by one of them, and no match id may fall outside the set. The digest only says
// the file is the one written for this key, and whoever can write the cache can write a
// matching digest; this catches a database compiled from other rules, or with rules taken
// out, whatever its digest says. The examples are normalised as a scan would normalise them.
// `scratch` is one the store allocated against these databases, or null; it is the one
// used, and left for the first Scanner.
// Each rule's examples go through the one database its expressions compile into (GroupOf),
// and the set must have as many databases as its groups: a stricter form of "reached by
// one of the databases", which every set compiled from these rules passes, at half the
// hs_scan calls (a cue rule's examples went through all three, the term lists' and the
// patterns' first: about 980 calls a start for the default packs, now 436; every match id a scan
// reports is also bounds-checked in the Scanner).
std::optional<std::string> ProbeCachedDatabases(const std::vector<DatabasePtr>& databases,
                                                const std::vector<CompiledRule>& rules,
                                                const std::vector<MatchTarget>& targets,
                                                ScratchPtr& scratch) {
  const auto of = DatabasesOfGroups(rules, targets);
  if (databases.size() != of.count) return "it holds another number of databases";
  if (!scratch) {
    auto allocated = AllocateScratch(databases);
    if (!allocated.ok()) return allocated.error().reason;
    scratch = std::move(allocated).value();
  }
  for (std::uint32_t index = 0; index < rules.size(); ++index) {
    const auto& examples = rules[index].rule->examples;
    if (examples.empty()) continue;
    const auto database = of.index[static_cast<std::size_t>(GroupOf(rules[index]))];
    ProbeState probe{&targets, index};
    for (const auto& example : examples) {
      if (database == std::string::npos) break;  // a rule without expressions: not reached
      const util::NormalizedText normalized(example);
      const auto& text = normalized.text();
      hs_scan(databases[database].get(), text.data(), static_cast<unsigned int>(text.size()), 0,
              scratch.get(), ProbeMatch, &probe);
      if (probe.unknown_id) return "a database reports a match id outside the rule set";
      if (probe.reached) break;
    }
    if (!probe.reached) return "no example of " + rules[index].rule->id + " reaches it";
  }
  return std::nullopt;
}

}  // namespace

util::Result<std::shared_ptr<const CompiledRules>> CompiledRules::Build(
    std::vector<rules::Pack> packs, const BuildOptions& options) {
  if (options.on_build_start) options.on_build_start();
  const auto started = std::chrono::steady_clock::now();
  std::shared_ptr<CompiledRules> set(new CompiledRules());
  set->packs_ = std::move(packs);
  for (const auto& pack : set->packs_) {
    if (!pack.voice_model) continue;
    // Two models would each lower findings by their own measure; which one speaks must not
    // depend on the order packs load in.
    if (set->voice_model_ != nullptr) {
      return util::Error{pack.source, "only one pack may carry a 'voice_model' (" +
                                          set->voice_model_->source + " has one)"};
    }
    set->voice_model_ = pack.voice_model.get();
  }
  set->version_ = JoinVersions(set->packs_) + options.version_suffix;
  auto compiled = set->CompileRules(options);
  if (!compiled.ok()) return compiled.error();
  set->stats_.build_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  spdlog::info("rules {} ready: {} rules, {} expressions, {:.1f} ms, cache {}", set->version_,
               set->rules_.size(), set->stats_.expressions, set->stats_.build_ms,
               set->stats_.from_cache ? "hit" : "miss");
  return std::shared_ptr<const CompiledRules>(std::move(set));
}

util::Result<bool> CompiledRules::CompileRules(const BuildOptions& options) {
  if (auto counted = CheckRuleCount(); !counted.ok()) return counted.error();
  auto planned = PlanExpressions();
  if (!planned.ok()) return planned.error();
  auto& plan = planned.value();
  stats_.expressions = plan.expressions.size();

  const auto key = options.cache ? CacheKey(plan.expressions, plan.signature) : std::string();
  stats_.cache_key = key;
  if (!options.cache || !LoadFromCache(*options.cache, key, plan)) {
    if (options.cache_only) return util::Error{"compiled-rules cache", std::string(kNotInCache)};
    if (auto checked = CheckRegexes(plan); !checked.ok()) return checked.error();
    if (auto analysed = AnalyseExpressions(plan); !analysed.ok()) return analysed.error();
    if (auto compiled = CompileDatabases(plan, options); !compiled.ok()) return compiled.error();
    if (options.cache) options.cache->Store(key, databases_, plan.infos);
  }
  SetWidths(plan);
  for (const auto& database : databases_) {
    std::size_t bytes = 0;
    hs_database_size(database.get(), &bytes);
    stats_.database_bytes += bytes;
  }
  return true;
}

util::Result<bool> CompiledRules::CheckRuleCount() const {
  std::size_t rule_count = 0;
  for (const auto& pack : packs_) rule_count += pack.rules.size();
  if (rule_count > kMaxRulesInSet) {
    return util::Error{"rule set", std::to_string(rule_count) + " rules, more than the limit of " +
                                       std::to_string(kMaxRulesInSet)};
  }
  return true;
}

util::Result<CompiledRules::ExpressionPlan> CompiledRules::PlanExpressions() {
  ExpressionPlan plan;
  for (const auto& pack : packs_) {
    for (const auto& rule : pack.rules) {
      const auto rule_index = static_cast<std::uint32_t>(rules_.size());
      CompiledRule compiled;
      compiled.rule = &rule;
      compiled.context = ContextPhrases(rule.context);
      compiled.drops = AdjacentDrops(rule.context);
      if (!rule.validate.empty()) {
        compiled.validator = FindValidator(rule.validate);
        if (!compiled.validator) {
          return util::Error{Where(pack, rule), "unknown validator '" + rule.validate + "'"};
        }
      }
      const unsigned int flags = rule.caseless ? HS_FLAG_CASELESS : 0u;
      if (!rule.pattern.empty()) {
        compiled.confirm = {"(?:" + rule.pattern + ")\\z", ConfirmOptions(rule)};
        compiled.extend = {rule.pattern, ExtendOptions(rule)};
        compiled.span_capture =
            SpanGroupIsWholeMatch(rule.pattern, rule.span_group) ? 0 : rule.span_group;
        plan.signature += rule.pattern;
        plan.signature += rule.caseless ? "\x01i" : "\x01c";
        plan.signature += std::to_string(rule.span_group) + '\x02';
        // Which database the pattern is in (GroupOf): a set cached before cue patterns had
        // their own is compiled again, not loaded split the old way.
        if (rule.kind == rules::Kind::kCue) plan.signature += '\x04';
        plan.pattern_rules.push_back({rules_.size(), Where(pack, rule)});
        targets_.push_back({rule_index});
        plan.expressions.push_back(
            {rule.pattern, flags, static_cast<unsigned int>(targets_.size() - 1)});
        plan.owner.push_back(Where(pack, rule));
      } else {
        compiled.terms = TermSet(rule.terms, rule.caseless);
        for (auto& expression : TermListExpressions(rule.terms)) {
          targets_.push_back({rule_index});
          plan.expressions.push_back(
              {std::move(expression), flags, static_cast<unsigned int>(targets_.size() - 1)});
          plan.owner.push_back(Where(pack, rule));
          plan.signature += "\x03" + std::to_string(plan.expressions.size() - 1) + '\x02';
        }
      }
      rules_.push_back(std::move(compiled));
    }
  }
  if (plan.expressions.size() > kMaxExpressionsInSet) {
    return util::Error{"rule set", std::to_string(plan.expressions.size()) +
                                       " expressions, more than the limit of " +
                                       std::to_string(kMaxExpressionsInSet)};
  }
  return plan;
}

util::Result<ScratchPtr> CompiledRules::TakeScratch() const {
  {
    std::lock_guard lock(spare_scratch_mutex_);
    if (spare_scratch_) return std::move(spare_scratch_);
  }
  return AllocateScratch(databases_);
}

bool CompiledRules::LoadFromCache(DatabaseStore& cache, const std::string& key,
                                  ExpressionPlan& plan) {
  // The cache is input from a directory the user can write: checked against these rules,
  // and on any doubt rebuilt (SECURITY.md "A poisoned compiled-rules cache").
  auto cached = cache.Load(key);
  std::optional<std::string> problem;
  if (!cached.ok()) {
    if (cached.error().reason != kNoCacheFile) problem = cached.error().reason;
  } else if (!(problem =
                   CheckCachedWidths(cached.value().infos, plan.expressions, rules_, targets_)) &&
             !(problem = ProbeCachedDatabases(cached.value().databases, rules_, targets_,
                                              cached.value().scratch))) {
    databases_ = std::move(cached.value().databases);
    spare_scratch_ = std::move(cached.value().scratch);
    plan.infos = std::move(cached.value().infos);
    stats_.from_cache = true;
    stats_.cache_in_place = cached.value().in_place;
    cache.MarkUsed(key);  // kept by pruning as a set in use
    return true;
  }
  if (problem) spdlog::warn("compiled-rules cache {} not used, rebuilding: {}", key, *problem);
  return false;
}

util::Result<bool> CompiledRules::CheckRegexes(const ExpressionPlan& plan) const {
  for (const auto& [index, where] : plan.pattern_rules) {
    // Compiled here only to be checked: scanners compile their own on first use.
    const re2::RE2 confirm(rules_[index].confirm.pattern, rules_[index].confirm.options);
    if (!confirm.ok())
      return util::Error{where, "pattern does not compile in RE2: " + confirm.error()};
    if (rules_[index].rule->span_group >
        static_cast<std::uint32_t>(confirm.NumberOfCapturingGroups())) {
      return util::Error{where, "'span_group' is larger than the pattern's groups"};
    }
  }
  return true;
}

util::Result<bool> CompiledRules::AnalyseExpressions(ExpressionPlan& plan) const {
  plan.infos.clear();
  plan.infos.reserve(plan.expressions.size());
  for (std::size_t i = 0; i < plan.expressions.size(); ++i) {
    auto info = AnalyseExpression(plan.expressions[i].pattern, plan.expressions[i].flags);
    if (!info.ok()) {
      return util::Error{plan.owner[i],
                         "pattern does not compile in Hyperscan: " + info.error().reason};
    }
    if (info.value().min_width == 0) {
      return util::Error{plan.owner[i], "pattern can match empty text"};
    }
    plan.infos.push_back(info.value());
  }
  return true;
}

util::Result<bool> CompiledRules::CompileDatabases(const ExpressionPlan& plan,
                                                   const BuildOptions& options) {
  const auto group_of = [&](std::size_t i) { return GroupOf(rules_[targets_[i].rule_index]); };
  for (auto& group : GroupExpressions(plan.expressions, group_of)) {
    auto compiled = options.compile_limits
                        ? CompileBlockDatabaseIsolated(group.expressions, *options.compile_limits)
                        : CompileBlockDatabase(group.expressions);
    if (auto* failure = std::get_if<CompileFailure>(&compiled)) {
      const auto where =
          failure->expression_index >= 0
              ? plan.owner[group.set_index[static_cast<std::size_t>(failure->expression_index)]]
              : std::string("rule set");
      return util::Error{where, "Hyperscan compile failed: " + failure->message};
    }
    databases_.push_back(std::move(std::get<DatabasePtr>(compiled)));
  }
  return true;
}

void CompiledRules::SetWidths(const ExpressionPlan& plan) {
  for (std::size_t i = 0; i < plan.expressions.size(); ++i) {
    auto& rule = rules_[targets_[i].rule_index];
    rule.max_width =
        rule.terms.empty()
            ? std::max({rule.max_width, plan.infos[i].max_width, MaxWidthBound(rule.rule->pattern)})
            : LongestTerm(*rule.rule);
  }
}

}  // namespace phiguard::scan
