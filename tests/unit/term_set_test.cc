#include "scan/term_set.h"

#include <gtest/gtest.h>

namespace phiguard::scan {
namespace {

TEST(TermSet, FindsTheLongestTermEndingAtAnOffset) {
  const TermSet terms({"Ann", "Anna", "Marie Ann", "C. diff"}, /*caseless=*/false);
  const struct {
    std::string text;
    std::size_t end;
    std::size_t start;  // npos: no term ends there
  } rows[] = {
      {"pt Anna here", 7, 3},
      {"pt Marie Ann here", 12, 3},       // longest wins over "Ann"
      {"Hanna", 5, std::string::npos},    // "Anna" inside a word is not a term
      {"pt anna", 7, std::string::npos},  // case-sensitive set
      {"C. diff positive", 7, 0},
  };
  for (const auto& row : rows) {
    EXPECT_EQ(terms.StartOfTermEndingAt(row.text, row.end), row.start) << row.text;
  }
}

TEST(TermSet, CaselessSetsFoldAsciiCase) {
  const TermSet terms({"Pneumonia"}, /*caseless=*/true);
  EXPECT_EQ(terms.StartOfTermEndingAt("PNEUMONIA", 9), 0u);
}

TEST(TermSet, TermsOfOneLengthAreToldApartByTheirFirstByte) {
  // A first-byte filter per length runs before the lookup; it must not hide a term.
  const TermSet cased({"Bob", "Ann", "Lee Ann"}, /*caseless=*/false);
  EXPECT_EQ(cased.StartOfTermEndingAt("pt Bob", 6), 3u);
  EXPECT_EQ(cased.StartOfTermEndingAt("pt Rob", 6), std::string::npos);
  EXPECT_EQ(cased.StartOfTermEndingAt("pt bob", 6), std::string::npos);
  EXPECT_EQ(cased.StartOfTermEndingAt("dr Lee Ann", 10), 3u);
  const TermSet caseless({"Sepsis", "asthma"}, /*caseless=*/true);
  EXPECT_EQ(caseless.StartOfTermEndingAt("with sepsis", 11), 5u);
  EXPECT_EQ(caseless.StartOfTermEndingAt("with ASTHMA", 11), 5u);
  EXPECT_EQ(caseless.StartOfTermEndingAt("with Xepsis", 11), std::string::npos);
}

TEST(TermSet, LongListsSplitUnderHyperscansPatternLimit) {
  std::vector<std::string> many;
  for (int i = 0; i < 3000; ++i) many.push_back("Name" + std::to_string(i));
  const auto expressions = TermListExpressions(many);
  EXPECT_GT(expressions.size(), 1u);
  for (const auto& e : expressions) EXPECT_LT(e.size(), 16000u);
}

}  // namespace
}  // namespace phiguard::scan
