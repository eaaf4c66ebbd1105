#include "rules/word_list.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "rules/pack_loader.h"
#include "scan/scanner.h"
#include "test_support.h"

namespace phiguard::rules {
namespace {

TEST(WordList, LooksUpWithoutCaseAndSkipsCommentsAndBlankLines) {
  const auto list = WordList::FromText("# a comment\nokafor\n\nNguyen\r\nalvarez \n");
  EXPECT_EQ(list.size(), 3u);
  for (const char* word : {"okafor", "Okafor", "OKAFOR", "nguyen", "Alvarez"}) {
    EXPECT_TRUE(list.Contains(word)) << word;
  }
  for (const char* word : {"", "okafo", "okaforr", "# a comment", "smith"}) {
    EXPECT_FALSE(list.Contains(word)) << word;
  }
}

TEST(WordList, SortsAndDedupesListsThatAreNotSorted) {
  const auto list = WordList::FromWords({"zeta", "Alpha", "mu", "alpha", "beta"});
  EXPECT_EQ(list.size(), 4u);
  for (const char* word : {"zeta", "alpha", "mu", "beta"}) EXPECT_TRUE(list.Contains(word)) << word;
  EXPECT_FALSE(list.Contains("gamma"));
}

TEST(WordList, AgreesWithAPlainSetOnEveryWordOfALargeList) {
  std::vector<std::string> words;
  for (int i = 0; i < 5000; ++i) words.push_back("w" + std::to_string(i * 7919 % 100003));
  const auto list = WordList::FromWords(words);
  for (const auto& w : words) ASSERT_TRUE(list.Contains(w)) << w;
  for (int i = 0; i < 2000; ++i) {
    const auto absent = "x" + std::to_string(i);
    ASSERT_FALSE(list.Contains(absent)) << absent;
  }
}

// Lookups search only the words that share the first two bytes' bucket: words of one
// letter, with digits, apostrophes, hyphens or UTF-8 first, from sorted files (used as
// they are) and unsorted or repeated ones (laid out again), against a plain set.
TEST(WordList, AgreesWithAPlainSetAcrossFirstBytes) {
  const std::string alphabet[] = {"a", "b", "z", "'", "-", "0", "\xC3\xA9", "{"};
  std::vector<std::string> universe{""};
  for (std::size_t length = 0; length < 3; ++length) {
    const auto shorter = universe;
    for (const auto& word : shorter) {
      if (word.size() != length) continue;
      for (const auto& byte : alphabet) universe.push_back(word + byte);
    }
  }
  std::vector<std::string> listed;
  for (std::size_t i = 0; i < universe.size(); i += 3) listed.push_back(universe[i]);
  listed.push_back(listed[5]);  // a repeat
  std::vector<std::string> sorted_words(listed.begin(), listed.end() - 1);
  std::sort(sorted_words.begin(), sorted_words.end());
  std::string sorted_text;
  for (const auto& word : sorted_words) sorted_text += word + "\n";
  const std::set<std::string> expected(listed.begin(), listed.end());
  for (const auto& list : {WordList::FromWords(listed), WordList::FromText(sorted_text)}) {
    for (const auto& word : universe) {
      ASSERT_EQ(list.Contains(word), expected.count(word) == 1 && !word.empty())
          << "'" << word << "'";
    }
  }
}

WordCheck NameCheck() {
  WordCheck check;
  check.accept.push_back(
      std::make_shared<const WordList>(WordList::FromWords({"maria", "will", "okafor"})));
  check.reject.push_back(std::make_shared<const WordList>(
      WordList::FromWords({"team", "will", "everyone", "for", "o", "d"})));
  check.never.push_back(std::make_shared<const WordList>(WordList::FromWords({"june"})));
  return check;
}

TEST(WordCheck, CapitalisedWordsPassUnlessRejectedAndOtherCasesNeedTheList) {
  const auto check = NameCheck();
  const struct {
    const char* span;
    bool passes;
  } rows[] = {
      {"Maria", true},          // accepted
      {"Thandiwe", true},       // capitalised, not an ordinary word: a name
      {"Team", false},          // capitalised, but an ordinary word
      {"Will", true},           // accepted wins over rejected for a capitalised word
      {"will", false},          // lower case: accepted but also an ordinary word
      {"maria", true},          // lower case, accepted, not rejected
      {"thandiwe", false},      // lower case and not in a list: case tells nothing
      {"OKAFOR", true},         // all caps, accepted
      {"EVERYONE", false},      // all caps, not accepted
      {"June", false},          // never
      {"Maria Okafor", true},   // every word passes
      {"Maria for", false},     // one word fails
      {"Maria's", true},        // possessive looked up without its tail
      {"O'Shaughnessy", true},  // the O' belongs to the name: not looked up as "o"
      {"D'Team", false},        // ...and the rest still has to pass
  };
  for (const auto& row : rows) EXPECT_EQ(check.Passes(row.span), row.passes) << row.span;
}

// Surnames that are English words pass right after a name, and only there.
TEST(WordCheck, AfterNameWordsPassOnlyRightAfterAnAcceptedName) {
  auto check = NameCheck();
  check.reject.push_back(
      std::make_shared<const WordList>(WordList::FromWords({"baker", "brown", "rice"})));
  check.after_name.push_back(
      std::make_shared<const WordList>(WordList::FromWords({"baker", "brown", "rice"})));
  EXPECT_TRUE(check.Passes("Maria Baker"));      // after an accepted name
  EXPECT_FALSE(check.Passes("Baker"));           // alone it is a word
  EXPECT_FALSE(check.Passes("Brown Rice"));      // after a word that is no name
  EXPECT_FALSE(check.Passes("Thandiwe Baker"));  // a capitalised unknown is not accepted
  EXPECT_FALSE(check.Passes("Maria baker"));     // lower case: nothing says it is a name
  auto without = check;
  without.after_name.clear();
  EXPECT_FALSE(without.Passes("Maria Baker"));  // without the list, as before
}

TEST(WordCheck, RequireAcceptedAndCapitalisedOnlyChangeWhichWordsCount) {
  auto strict = NameCheck();
  strict.require_accepted = true;
  EXPECT_TRUE(strict.Passes("Maria"));
  EXPECT_FALSE(strict.Passes("Thandiwe"));

  auto places = NameCheck();
  places.capitalised_only = true;
  EXPECT_TRUE(places.Passes("5th and Delancey"));  // "and" and the "th" of 5th are skipped
  EXPECT_FALSE(places.Passes("Marrow Way and Team"));
  // Lower-case words are not looked up at all there, not even in the never list.
  EXPECT_TRUE(places.Passes("june and Marrow Way"));
  EXPECT_FALSE(places.Passes("June and Marrow Way"));

  auto pairs = NameCheck();
  pairs.skip.push_back(std::make_shared<const WordList>(WordList::FromWords({"and"})));
  EXPECT_TRUE(pairs.Passes("Maria and Okafor"));
  EXPECT_FALSE(NameCheck().Passes("Maria and Okafor"));
  // Skip words alone are nobody: "Hello, and thank you" gave the name "and".
  EXPECT_FALSE(pairs.Passes("and"));

  auto slug = NameCheck();
  slug.any_accepted = true;
  EXPECT_TRUE(slug.Passes("obits/okafor-kidney-1941"));
  EXPECT_FALSE(slug.Passes("f/new-nicu-equipment"));
  EXPECT_FALSE(slug.Passes("f/will-team"));  // "will" is a name and an ordinary word

  auto capitals = NameCheck();
  capitals.case_blind = true;
  EXPECT_TRUE(capitals.Passes("DEVERAUX, JACQUELINE"));  // neither is an ordinary word
  EXPECT_FALSE(capitals.Passes("TEAM, EVERYONE"));
}

class WordsField : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("phiguard-words-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_ / "lists");
    std::ofstream(dir_ / "lists" / "names.txt") << "# names\nadaeze\nokafor\n";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

std::string RuleWithWords(const std::string& words) {
  return phiguard::testing::PackJson(
      R"j([{"id":"t.name","title":"t","category":"name","kind":"phi","severity":"high",
            "action":"warn","pattern":"\\bHi ([A-Za-z]{2,20})","span_group":1,
            "message":"m","examples":["Hi Adaeze"],"words":)j" +
      words + "}]");
}

TEST_F(WordsField, LoadsFilesBesideThePackAndInlineWords) {
  auto pack = ParsePack(RuleWithWords(R"({"accept_files":["lists/names.txt"],"reject":["team"]})"),
                        "p.json", dir_);
  ASSERT_TRUE(pack.ok()) << pack.error().Describe();
  const auto& words = pack.value().rules[0].words;
  EXPECT_TRUE(words.Passes("adaeze"));
  EXPECT_FALSE(words.Passes("Team"));
}

TEST_F(WordsField, RefusesBadShapesWithReasons) {
  const struct {
    const char* words;
    const char* reason;
  } rows[] = {
      {R"({"accept_files":["lists/missing.txt"]})", "cannot read word list"},
      {R"({"accept_files":["../outside.txt"]})", "relative path inside the pack's folder"},
      {R"({"accept":"team"})", "'accept' must be a list of strings"},
      {R"({"require_accepted":"yes"})", "'words.require_accepted' must be true or false"},
      {R"({"spelling":["x"]})", "unknown field 'spelling' in words"},
      {R"({})", "needs an accept, reject or never list"},
  };
  for (const auto& row : rows) {
    auto pack = ParsePack(RuleWithWords(row.words), "p.json", dir_);
    ASSERT_FALSE(pack.ok()) << row.words;
    EXPECT_NE(pack.error().reason.find(row.reason), std::string::npos)
        << row.words << " -> " << pack.error().reason;
  }
  // A pack from a bundle has no folder: it must carry its words inline.
  auto bundled = ParsePack(RuleWithWords(R"({"accept_files":["lists/names.txt"]})"), "b.json");
  ASSERT_FALSE(bundled.ok());
  EXPECT_NE(bundled.error().reason.find("not allowed in this pack"), std::string::npos);
}

TEST(WordsCheckInScanner, DropsCandidatesWhoseWordsFail) {
  scan::Scanner scanner(
      phiguard::testing::CompileInline(RuleWithWords(R"({"reject":["team","everyone"]})")));
  const auto found = [&](std::string_view text) { return !scanner.Scan(text).findings.empty(); };
  EXPECT_TRUE(found("Hi Adaeze"));
  EXPECT_FALSE(found("Hi Team"));
  EXPECT_FALSE(found("Hi everyone"));
}

}  // namespace
}  // namespace phiguard::rules
