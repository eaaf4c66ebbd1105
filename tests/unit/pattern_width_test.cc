#include "scan/pattern_width.h"

#include <gtest/gtest.h>
#include <hs/hs.h>
#include <re2/re2.h>

#include <vector>

#include "rules/pack_loader.h"
#include "scan/hyperscan_database.h"

namespace phiguard::scan {
namespace {

TEST(PatternWidth, CountsEachPieceOfThePattern) {
  const struct {
    const char* pattern;
    unsigned int width;
  } rows[] = {
      {"abc", 3},
      {"\\d{3}-\\d{2}-\\d{4}", 11},
      {"\\bMRN:? ?(\\d{6,10})\\b", 15},  // zero-width \b, optional pieces counted
      {"(?:cat|horse)s?", 6},            // the widest branch
      {"[A-Z](?:[a-z]{1,3}[A-Z]|'[A-Z])?[a-z]{1,20}", 25},
      {"(?i:mr|mrs)\\.? [a-z]{2,5}", 10},  // option groups
      {"(?i)ab", 2},                       // an option setting is zero-width
      {"^a|b$", 1},
      {"[]a-]x", 2},  // ']' first in a class is a literal
      {"[[:alpha:]\\]]{2}", 2},
      {"\\x41\\x{42}", 2},
      {"a{,3}", 3},
      {"a{2}?", 2},    // lazy: same width
      {"x{", 2},       // a '{' that starts no count is a literal
      {"(?=ab)c", 1},  // lookahead is zero-width
      {"(?<name>ab)", 2},
  };
  for (const auto& row : rows) EXPECT_EQ(MaxWidthBound(row.pattern), row.width) << row.pattern;
}

TEST(PatternWidth, UnboundedForOpenRepeatsAndSyntaxItDoesNotKnow) {
  for (const char* pattern : {"a+", "a*b", "a{2,}", "(a)\\1", "\\p{L}", "(?x) a b", "(unclosed",
                              "[unclosed", "*a", "a**"}) {
    EXPECT_EQ(MaxWidthBound(pattern), kUnboundedWidth) << pattern;
  }
}

// The bound replaces Hyperscan's exact width at start-up, so it must never be below it (a
// narrow confirm window misses findings), and for the shipped packs it must be equal (a
// wider one would cost time, and an unbounded one would turn off local edit rescans).
TEST(PatternWidth, EqualsHyperscansWidthForEveryShippedPattern) {
  const auto packs = rules::LoadPackDirectory(PHIGUARD_SOURCE_DIR "/rules/packs");
  ASSERT_TRUE(packs.ok()) << packs.error().Describe();
  std::size_t checked = 0;
  for (const auto& pack : packs.value()) {
    for (const auto& rule : pack.rules) {
      if (rule.pattern.empty()) continue;
      const auto exact = AnalyseExpression(rule.pattern, rule.caseless ? HS_FLAG_CASELESS : 0u);
      ASSERT_TRUE(exact.ok()) << rule.id;
      EXPECT_EQ(MaxWidthBound(rule.pattern), exact.value().max_width) << rule.id;
      ++checked;
    }
  }
  EXPECT_GT(checked, 50u);
}

TEST(SpanGroup, WholeMatchOnlyWhenEverythingElseIsAnAnchor) {
  const struct {
    const char* pattern;
    unsigned int group;
    bool whole;
  } rows[] = {
      {"abc", 0, true},  // group 0 is the match
      {"(abc)", 1, true},
      {"\\b(Mr\\.? [A-Z][a-z]+)\\b", 1, true},
      {"^\\b((?i:my|our) (son|kid))(?:\\b|$)", 1, true},  // its own groups come after it
      {"\\b(a\\)[()]b)\\b", 1, true},                     // escaped and class parentheses
      // Something before or after the group matches bytes.
      {"\\bMRN:? ?(\\d{6,10})\\b", 1, false},
      {"(?:^|[^\\w.])(\\d{3}-\\d{4})(?:[^\\w.]|$)", 1, false},
      {"\\b(abc)\\b\\.?", 1, false},
      // Not the first group, repeated, alternated, or not a capture.
      {"(a)(b)", 2, false},
      {"(a)+", 1, false},
      {"(a)|b", 1, false},
      {"(?:a)", 1, false},
      {"(?P<n>a)", 1, false},
      {"(?i)(a)", 1, false},  // an option setting first: not taken for an anchor
      // Syntax it does not know.
      {"(a", 1, false},
      {"(?x) (a)", 1, false},
  };
  for (const auto& row : rows) {
    EXPECT_EQ(SpanGroupIsWholeMatch(row.pattern, row.group), row.whole) << row.pattern;
  }
}

// For every shipped pattern it calls whole, RE2's span group and match agree on the rule's
// own examples (the engines' word, not the walker's).
TEST(SpanGroup, AgreesWithRe2OnEveryShippedExample) {
  const auto packs = rules::LoadPackDirectory(PHIGUARD_SOURCE_DIR "/rules/packs");
  ASSERT_TRUE(packs.ok()) << packs.error().Describe();
  std::size_t whole = 0;
  for (const auto& pack : packs.value()) {
    for (const auto& rule : pack.rules) {
      if (rule.pattern.empty() || !SpanGroupIsWholeMatch(rule.pattern, rule.span_group)) continue;
      ++whole;
      re2::RE2::Options options;
      options.set_encoding(re2::RE2::Options::EncodingLatin1);
      options.set_case_sensitive(!rule.caseless);
      const re2::RE2 regex(rule.pattern, options);
      ASSERT_TRUE(regex.ok()) << rule.id;
      const int groups = static_cast<int>(rule.span_group) + 1;
      std::vector<re2::StringPiece> captures(static_cast<std::size_t>(groups));
      for (const auto& example : rule.examples) {
        if (!regex.Match(example, 0, example.size(), re2::RE2::UNANCHORED, captures.data(),
                         groups)) {
          continue;
        }
        EXPECT_EQ(captures[rule.span_group], captures[0]) << rule.id << ": " << example;
      }
    }
  }
  EXPECT_GT(whole, 50u);
}

}  // namespace
}  // namespace phiguard::scan
