#include "scan/context_index.h"

#include <gtest/gtest.h>

#include <random>

#include "util/ascii.h"

namespace phiguard::scan {
namespace {

rules::ContextSpec Spec(std::vector<std::string> raise, std::vector<std::string> lower,
                        std::uint32_t window) {
  rules::ContextSpec spec;
  spec.raise = std::move(raise);
  spec.lower = std::move(lower);
  spec.window = window;
  return spec;
}

std::vector<std::string> Strings(const std::vector<std::string_view>& views) {
  return {views.begin(), views.end()};
}

// The index's answer and FindContext's (the definition) for every candidate in `spans`,
// all indexed together.
void ExpectSameAsFindContext(std::string_view text, const rules::ContextSpec& spec,
                             const std::vector<std::pair<std::size_t, std::size_t>>& spans,
                             const std::string& where) {
  const std::string lowered = util::LowerAscii(text);
  const ContextPhrases phrases(spec);
  ASSERT_TRUE(phrases.Indexable()) << where;
  const ContextIndex index(lowered, phrases, spans);
  for (const auto& [start, end] : spans) {
    const auto expected = FindContext(lowered, start, end, spec);
    const auto found = index.Find(start, end);
    EXPECT_EQ(Strings(found.raised), Strings(expected.raised))
        << where << " candidate [" << start << "," << end << ")";
    EXPECT_EQ(Strings(found.lowered), Strings(expected.lowered))
        << where << " candidate [" << start << "," << end << ")";
  }
}

TEST(ContextIndex, FindsThePhrasesOfEachCandidateInSpecOrder) {
  const auto spec = Spec({"ssn", "social security", "patient"}, {"dr."}, 48);
  const std::string_view text = "Patient SSN 219-44-7816 per Social Security; Dr. Ames 219-44-7817";
  const std::string lowered = util::LowerAscii(text);
  const ContextPhrases phrases(spec);
  const ContextIndex index(lowered, phrases, {{12, 23}, {54, 65}});
  const auto first = index.Find(12, 23);
  EXPECT_EQ(Strings(first.raised), (std::vector<std::string>{"ssn", "social security", "patient"}));
  EXPECT_EQ(Strings(first.lowered), (std::vector<std::string>{"dr."}));
  const auto second = index.Find(54, 65);
  EXPECT_EQ(Strings(second.raised), (std::vector<std::string>{"ssn", "social security"}));
  EXPECT_EQ(Strings(second.lowered), (std::vector<std::string>{"dr."}));
}

TEST(ContextIndex, AgreesWithFindContextAtTheEdges) {
  const struct {
    std::string text;
    std::vector<std::pair<std::size_t, std::size_t>> spans;
    std::uint32_t window;
  } rows[] = {
      // A window that starts inside a word: the rest of the word is a word to the window.
      {"xmrn 44820193", {{5, 13}}, 4},
      // A window that ends inside a word: its start is a word to the window.
      {"44820193 mrnx", {{0, 8}}, 4},
      // The candidate itself is never context; a phrase across it is not either.
      {"ssn", {{0, 3}}, 10},
      {"social 123 security", {{7, 10}}, 20},
      // Punctuation phrases are found anywhere, inside words too.
      {"call#4412 now", {{5, 9}}, 6},
      // Windows of neighbouring candidates overlap; each sees only its own.
      {"mrn 1 mrn 2 pt 3 dob 4", {{4, 5}, {10, 11}, {15, 16}, {21, 22}}, 4},
      // Phrases at the text's edges, and a UTF-8 letter as a word byte.
      {"dob 7/4/1931 d.o.b", {{4, 12}}, 30},
      {"caf\xC3\xA9mrn 1 \xC3\xA9mrn", {{9, 10}}, 20},
  };
  const auto spec =
      Spec({"mrn", "ssn", "security", "#", "dob", "d.o.b", "pt", "dob"}, {"social", "pt"}, 0);
  for (const auto& row : rows) {
    auto windowed = spec;
    windowed.window = row.window;
    ExpectSameAsFindContext(row.text, windowed, row.spans, row.text);
  }
}

TEST(ContextIndex, AgreesWithFindContextOnRandomText) {
  const std::vector<std::string> phrases = {
      "mrn",           "pt", "dob", "room", "ssn", "#",  "dr.", "(",
      "date of birth", "a",  "rm",  "pt",   "b a", ".b", "#a"};
  const std::string_view alphabet = "MRNmrnptPTdobroomSsn#. -ab1(\xC3\xA9";
  std::mt19937 random(20261205);
  for (int round = 0; round < 2000; ++round) {
    std::string text;
    const std::size_t length = 1 + random() % 200;
    for (std::size_t i = 0; i < length; ++i) text += alphabet[random() % alphabet.size()];
    std::vector<std::pair<std::size_t, std::size_t>> spans;
    const std::size_t count = 1 + random() % 12;
    for (std::size_t i = 0; i < count; ++i) {
      const std::size_t start = random() % text.size();
      spans.emplace_back(start,
                         start + 1 + random() % std::min<std::size_t>(8, text.size() - start));
    }
    std::vector<std::string> raise, lower;
    for (const auto& phrase : phrases) (random() % 3 == 0 ? lower : raise).push_back(phrase);
    const auto window = static_cast<std::uint32_t>(random() % 30);
    ExpectSameAsFindContext(text, Spec(raise, lower, window), spans,
                            "round " + std::to_string(round));
    if (HasFailure()) return;
  }
}

TEST(ContextPhrases, IndexableOnlyWithPhrasesTheIndexHolds) {
  EXPECT_FALSE(ContextPhrases().Indexable());
  const auto none = Spec({}, {}, 40);
  EXPECT_FALSE(ContextPhrases(none).Indexable());
  const auto empty_only = Spec({""}, {}, 40);
  EXPECT_FALSE(ContextPhrases(empty_only).Indexable());
  std::vector<std::string> many;
  for (int i = 0; i < 300; ++i) many.push_back("w" + std::to_string(i));
  const auto too_many = Spec(many, {}, 40);
  EXPECT_FALSE(ContextPhrases(too_many).Indexable());
  // The same phrase twice is one phrase to the index, and reported twice.
  const auto twice = Spec({"dob", "born", "dob"}, {"dob"}, 40);
  const ContextPhrases phrases(twice);
  ASSERT_TRUE(phrases.Indexable());
  const std::string lowered = "dob 7/4/1931";
  const ContextIndex index(lowered, phrases, {{4, 12}});
  const auto hits = index.Find(4, 12);
  EXPECT_EQ(Strings(hits.raised), (std::vector<std::string>{"dob", "dob"}));
  EXPECT_EQ(Strings(hits.lowered), (std::vector<std::string>{"dob"}));
}

}  // namespace
}  // namespace phiguard::scan
