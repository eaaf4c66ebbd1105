#include "scan/regex_cache.h"

#include <gtest/gtest.h>

#include <string>
#include <tuple>
#include <vector>

#include "engine/engine.h"
#include "scan/scanner.h"
#include "test_support.h"

namespace phiguard::scan {
namespace {

using phiguard::testing::CompileInline;
using phiguard::testing::PackJson;
using phiguard::testing::RuleJson;

std::shared_ptr<const CompiledRules> ThreePatternRules() {
  return CompileInline(PackJson(
      "[" + RuleJson("t.digits", R"("pattern":"\\b\\d{6,9}\\b")") + "," +
      RuleJson("t.phrase", R"("pattern":"\\bthe only patient(?: [a-z]{2,10}){1,4}")") + "," +
      RuleJson("t.code", R"json("pattern":"\\bcode ([A-Z]{2}\\d{3})\\b","span_group":1)json") +
      "]"));
}

// rule id, start, end (UTF-16) of every finding
std::vector<std::tuple<std::string, std::uint32_t, std::uint32_t>> RegexCacheSpans(
    const std::vector<Finding>& findings) {
  std::vector<std::tuple<std::string, std::uint32_t, std::uint32_t>> spans;
  for (const auto& f : findings) {
    spans.emplace_back(f.rule->id, f.original.utf16_start, f.original.utf16_end);
  }
  return spans;
}

TEST(RegexCache, CompilesOnFirstUseAndHandsOutTheSameRegexAfter) {
  const auto rules = ThreePatternRules();
  RegexCache cache(rules->rules().size());
  EXPECT_EQ(cache.compiled_count(), 0u);
  EXPECT_EQ(cache.held_bytes(), 0u);
  const auto* first = &cache.Confirm(0, rules->rules()[0]);
  EXPECT_TRUE(first->ok());
  EXPECT_TRUE(cache.IsCompiled(0));
  EXPECT_FALSE(cache.IsCompiled(1));
  EXPECT_EQ(&cache.Confirm(0, rules->rules()[0]), first);
  EXPECT_EQ(cache.compiled_count(), 1u);
  EXPECT_GT(cache.held_bytes(), 0u);
}

TEST(RegexCache, ReleasesLeastRecentlyUsedFirstDownToTheBudget) {
  const auto rules = ThreePatternRules();
  RegexCache cache(rules->rules().size());
  std::vector<const re2::RE2*> regexes;
  for (std::uint32_t rule = 0; rule < 3; ++rule) {
    regexes.push_back(&cache.Confirm(rule, rules->rules()[rule]));
  }
  cache.Confirm(0, rules->rules()[0]);
  cache.Confirm(1, rules->rules()[1]);  // rule 2 is now the least recently used
  const std::size_t held = cache.held_bytes();
  const std::size_t rule2 = RegexCache::EstimatedBytes(*regexes[2], true);
  ASSERT_GT(rule2, 0u);
  EXPECT_EQ(cache.Release(held), 0u);  // within the budget: nothing goes
  EXPECT_EQ(cache.compiled_count(), 3u);
  EXPECT_EQ(cache.Release(held - 1), rule2);  // one regex is enough, the oldest
  EXPECT_FALSE(cache.IsCompiled(2));
  EXPECT_TRUE(cache.IsCompiled(0));
  EXPECT_TRUE(cache.IsCompiled(1));
  EXPECT_EQ(cache.held_bytes(), held - rule2);
  EXPECT_EQ(cache.Release(0), held - rule2);
  EXPECT_EQ(cache.compiled_count(), 0u);
  EXPECT_EQ(cache.held_bytes(), 0u);
}

TEST(RegexCache, ARegexReleasedIsCompiledAgainAndMatchesTheSame) {
  const auto rules = ThreePatternRules();
  Scanner scanner(rules);
  const std::string text =
      "id 1234567 and the only patient on our unit, code AB123; 12345678901 and code XY987. "
      "Then the only patient with wings and id 7654321.";
  const auto before = RegexCacheSpans(scanner.Scan(text).findings);
  ASSERT_EQ(before.size(), 6u);
  EXPECT_EQ(scanner.regexes().compiled_count(), 4u);  // three confirms, the phrase's extend
  EXPECT_GT(scanner.ReleaseRegexes(0), 0u);
  EXPECT_EQ(scanner.regexes().compiled_count(), 0u);
  EXPECT_EQ(RegexCacheSpans(scanner.Scan(text).findings), before);
  EXPECT_GT(scanner.ReleaseRegexes(0), 0u);
  Scanner fresh(rules);
  EXPECT_EQ(RegexCacheSpans(scanner.Scan(text.substr(0, 60)).findings),
            RegexCacheSpans(fresh.Scan(text.substr(0, 60)).findings));
}

TEST(RegexCache, AnEngineAnswersTheSameAfterItsIdleRelease) {
  const auto rules = ThreePatternRules();
  engine::Engine engine(rules);
  const std::string typed =
      "code AB123 and the only patient on our unit" + std::string(2000, ' ') + "id 1234567";
  EXPECT_EQ(engine.Scan(typed).findings.size(), 3u);
  engine.ReleaseIdleMemory();  // these few regexes are within what an idle host keeps
  EXPECT_EQ(engine.rules().rule_count(), 3u);
  engine::Engine fresh(rules, engine::EditRescans::kOff);
  EXPECT_EQ(RegexCacheSpans(engine.Scan(typed + " x").findings),
            RegexCacheSpans(fresh.Scan(typed + " x").findings));
}

}  // namespace
}  // namespace phiguard::scan
