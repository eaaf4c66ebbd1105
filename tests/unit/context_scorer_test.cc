#include "scan/context_scorer.h"

#include <gtest/gtest.h>

#include <random>

#include "util/ascii.h"

namespace phiguard::scan {
namespace {

// Which raise phrases FindContext reports around the candidate [start, end) of `text`.
std::vector<std::string> Raised(std::string_view text, std::size_t start, std::size_t end,
                                std::vector<std::string> phrases, std::uint32_t window = 48) {
  rules::ContextSpec spec;
  spec.raise = std::move(phrases);
  spec.window = window;
  const auto hits = FindContext(util::LowerAscii(text), start, end, spec);
  return {hits.raised.begin(), hits.raised.end()};  // views of `spec`, which ends here
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

TEST(ContextScorer, APhraseListedTwiceIsReportedTwice) {
  EXPECT_EQ(Raised("DOB 7/4/1931", 4, 12, {"dob", "born", "dob"}),
            (std::vector<std::string>{"dob", "dob"}));
}

// The definition, searched byte by byte: `phrase` as whole words in the lower-cased window
// on either side of the candidate, the window's edges counting as boundaries.
bool NearByDefinition(std::string_view lowered, std::size_t start, std::size_t end,
                      std::size_t window, std::string_view phrase) {
  const auto word = [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return util::IsAsciiWordByte(u) || u >= 0x80;
  };
  const std::size_t from = start > window ? start - window : 0;
  const std::size_t to = std::min(lowered.size(), end + window);
  for (const auto& [lo, hi] : {std::pair{from, start}, std::pair{end, to}}) {
    for (std::size_t pos = lo; pos + phrase.size() <= hi; ++pos) {
      if (lowered.substr(pos, phrase.size()) != phrase) continue;
      const std::size_t after = pos + phrase.size();
      const bool left = !word(phrase.front()) || pos == lo || !word(lowered[pos - 1]);
      const bool right = !word(phrase.back()) || after == hi || !word(lowered[after]);
      if (left && right) return true;
    }
  }
  return false;
}

TEST(ContextScorer, AgreesWithTheDefinitionOnRandomText) {
  const std::vector<std::string> phrases = {"mrn", "pt",  "dob",           "room", "ssn",
                                            "#",   "dr.", "date of birth", "a",    "rm"};
  const std::string_view alphabet = "MRNmrnptPTdobroomSsn#. -ab1\xC3\xA9";
  std::mt19937 random(20261204);
  for (int round = 0; round < 3000; ++round) {
    std::string text;
    const std::size_t length = 1 + random() % 60;
    for (std::size_t i = 0; i < length; ++i) text += alphabet[random() % alphabet.size()];
    const std::size_t start = random() % text.size();
    const std::size_t end = start + 1 + random() % (text.size() - start);
    const auto window = static_cast<std::uint32_t>(1 + random() % 20);
    std::vector<std::string> expected;
    for (const auto& phrase : phrases) {
      if (NearByDefinition(util::LowerAscii(text), start, end, window, phrase)) {
        expected.push_back(phrase);
      }
    }
    ASSERT_EQ(Raised(text, start, end, phrases, window), expected)
        << "round " << round << " [" << start << "," << end << ") window " << window;
  }
}

}  // namespace
}  // namespace phiguard::scan
