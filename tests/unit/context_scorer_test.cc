#include "scan/context_scorer.h"

#include <gtest/gtest.h>

#include "util/ascii.h"

namespace phiguard::scan {
namespace {

// Which raise phrases FindContext reports around the candidate [start, end) of `text`.
std::vector<std::string> Raised(std::string_view text, std::size_t start, std::size_t end,
                                std::vector<std::string> phrases, std::uint32_t window = 48) {
  rules::ContextSpec spec;
  spec.raise = std::move(phrases);
  spec.window = window;
  return FindContext(util::LowerAscii(text), start, end, spec).raised;
}

TEST(ContextScorer, FindsWholeWordPhrasesOnEitherSide) {
  const std::string_view text = "Patient SSN 219-44-7816 per Social Security";
  EXPECT_EQ(Raised(text, 12, 23, {"ssn", "social security", "patient"}),
            (std::vector<std::string>{"ssn", "social security", "patient"}));
}

TEST(ContextScorer, PartsOfWordsAndTheCandidateItselfDoNotCount) {
  const std::string_view text = "Lessn 219-44-7816 ssnx";
  EXPECT_TRUE(Raised(text, 6, 17, {"ssn"}).empty());
  EXPECT_TRUE(Raised("ssn", 0, 3, {"ssn"}).empty());
}

TEST(ContextScorer, PhrasesOfPunctuationAndWordsCutByTheWindowEdge) {
  // A phrase that starts with punctuation is found anywhere; a word cut by the window's
  // edge counts from the edge (the window is all the scorer sees).
  EXPECT_EQ(Raised("call #4412 now", 6, 10, {"#"}), (std::vector<std::string>{"#"}));
  EXPECT_EQ(Raised("xmrn 44820193", 5, 13, {"mrn"}, /*window=*/4),
            (std::vector<std::string>{"mrn"}));
}

}  // namespace
}  // namespace phiguard::scan
