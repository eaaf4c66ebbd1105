#include "scan/context_scorer.h"

#include <gtest/gtest.h>

#include <algorithm>
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

// AdjacentWordDrops as it was written before AdjacentDrops: the neighbour copied,
// lower-cased, and looked for in the lists word by word.
bool DropsByDefinition(std::string_view text, std::size_t start, std::size_t end,
                       const rules::ContextSpec& spec) {
  const auto listed = [](const std::vector<std::string>& words, const std::string& word) {
    return !word.empty() && std::find(words.begin(), words.end(), word) != words.end();
  };
  const auto space = [](char c) { return c == ' ' || c == '\t'; };
  const auto neighbour = [](std::string_view token) {
    const auto strip = std::string_view(",;:!?\"'()[]");
    while (!token.empty() && strip.find(token.front()) != std::string_view::npos) {
      token.remove_prefix(1);
    }
    while (!token.empty() && strip.find(token.back()) != std::string_view::npos) {
      token.remove_suffix(1);
    }
    return util::LowerAscii(token);
  };
  if (!spec.drop_before.empty()) {
    std::size_t stop = start;
    while (stop > 0 && space(text[stop - 1])) --stop;
    std::size_t begin = stop;
    while (begin > 0 && !space(text[begin - 1]) && text[begin - 1] != '\n') --begin;
    if (stop < start && listed(spec.drop_before, neighbour(text.substr(begin, stop - begin)))) {
      return true;
    }
  }
  if (!spec.drop_after.empty()) {
    std::size_t begin = end;
    while (begin < text.size() && space(text[begin])) ++begin;
    std::size_t stop = begin;
    while (stop < text.size() && !space(text[stop]) && text[stop] != '\n') ++stop;
    if (begin > end) {
      std::string word = neighbour(text.substr(begin, stop - begin));
      if (!listed(spec.drop_after, word) && !word.empty() && word.back() == '.') word.pop_back();
      if (listed(spec.drop_after, word)) return true;
    }
  }
  return false;
}

TEST(AdjacentDrops, LooksUpListsCaseInsensitively) {
  rules::ContextSpec spec;
  // Out of order, a duplicate, an empty entry, and words that share prefixes.
  spec.drop_before = {"st.",
                      "port",
                      "",
                      "mt.",
                      "port",
                      "portland",
                      "po",
                      "\xC3\xA9"
                      "cole"};
  spec.drop_after = {"memorial", "general", "memo", ""};
  const AdjacentDrops drops(spec);
  const auto dropped = [&](std::string_view text, std::string_view candidate) {
    const auto start = text.find(candidate);
    return drops.Drops(text, start, start + candidate.size());
  };
  EXPECT_TRUE(dropped("PORT Ellery", "Ellery"));
  EXPECT_TRUE(dropped("near Portland Ellery", "Ellery"));
  EXPECT_TRUE(dropped("Po Ellery", "Ellery"));
  EXPECT_FALSE(dropped("Por Ellery", "Ellery"));        // a prefix of a listed word
  EXPECT_FALSE(dropped("Ports Ellery", "Ellery"));      // a listed word is a prefix of it
  EXPECT_FALSE(dropped("Portlands Ellery", "Ellery"));  // longer than any listed word
  EXPECT_TRUE(
      dropped("\xC3\xA9"
              "cole Ellery",
              "Ellery"));  // bytes past ASCII compared as they are
  EXPECT_FALSE(
      dropped("\xC3\x89"
              "cole Ellery",
              "Ellery"));  // and not case-folded
  EXPECT_TRUE(dropped("(Mt. Ellery)", "Ellery"));
  EXPECT_TRUE(dropped("Ashby MEMO.", "Ashby"));  // the dot of a sentence end
  EXPECT_TRUE(dropped("Ashby Memorial.", "Ashby"));
  EXPECT_FALSE(dropped("Ashby Memorials", "Ashby"));
  EXPECT_FALSE(dropped("Ashby .", "Ashby"));                  // a dot alone is no word
  EXPECT_FALSE(dropped("Ashby \"\"", "Ashby"));               // nor is punctuation
  EXPECT_FALSE(AdjacentDrops().Drops("Port Ellery", 5, 11));  // no lists
}

TEST(AdjacentDrops, FindsEveryWordOfALongList) {
  rules::ContextSpec spec;
  std::vector<std::string> listed;
  for (int n = 0; n < 400; ++n) listed.push_back("w" + std::to_string(n * 7));
  spec.drop_after = listed;
  const AdjacentDrops drops(spec);
  for (const auto& word : listed) {
    std::string text = "Ashby " + word;
    text[6] = 'W';  // found whatever the case
    EXPECT_TRUE(drops.Drops(text, 0, 5)) << text;
    EXPECT_FALSE(drops.Drops("Ashby " + word + "1", 0, 5)) << word;
    EXPECT_FALSE(drops.Drops("Ashby x" + word, 0, 5)) << word;
  }
}

TEST(AdjacentDrops, AgreesWithTheDefinitionOnRandomText) {
  rules::ContextSpec spec;
  spec.drop_before = {"port", "st.", "dr", "of", "a", "mt.", "saint", "of", "\xC3\xA9"};
  // "Ave" has a capital: the lists are lower case, and a word that is not is never found.
  spec.drop_after = {"memorial", "general", "st", "ave.", "b", "port", "Ave"};
  const AdjacentDrops drops(spec);
  // Pieces of text: listed words and near misses in mixed case, punctuation, spaces.
  const std::vector<std::string_view> pieces = {
      "Port",     "PORT",      "port", "ports",   "por",  "St.", "st",    "St",       "Dr",
      "dr.",      "of",        "A",    "a",       "Mt.",  "mt",  "Saint", "\xC3\xA9", "\xC3\x89",
      "Memorial", "memorial.", "MEMO", "General", "ave.", "Ave", "B",     "b.",       ".",
      ",",        "(",         ")",    "\"",      "'",    "[",   "]",     " ",        " ",
      "  ",       "\t",        "\n",   "x",       "Abe"};
  std::mt19937 random(20261208);
  int dropped = 0;
  for (int round = 0; round < 20000; ++round) {
    std::string text;
    const std::size_t count = 1 + random() % 12;
    for (std::size_t i = 0; i < count; ++i) text += pieces[random() % pieces.size()];
    const std::size_t start = random() % text.size();
    const std::size_t end = start + random() % (text.size() - start + 1);
    const bool expected = DropsByDefinition(text, start, end, spec);
    dropped += expected ? 1 : 0;
    ASSERT_EQ(drops.Drops(text, start, end), expected)
        << "round " << round << " [" << start << "," << end << ") '" << text << "'";
    ASSERT_EQ(AdjacentWordDrops(text, start, end, spec), expected) << "round " << round;
  }
  EXPECT_GT(dropped, 100);  // the text reaches the listed words often enough to test them
}

}  // namespace
}  // namespace phiguard::scan
