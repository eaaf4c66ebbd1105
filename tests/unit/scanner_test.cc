#include "scan/scanner.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "cache/file_database_store.h"
#include "test_support.h"

namespace phiguard::scan {
namespace {

using phiguard::testing::CompileInline;
using phiguard::testing::PackJson;
using phiguard::testing::RuleJson;

struct Span {
  std::string rule;
  std::uint32_t start, end;  // UTF-16
  bool operator==(const Span&) const = default;
};

std::vector<Span> Spans(Scanner& scanner, std::string_view text) {
  std::vector<Span> spans;
  for (const auto& f : scanner.Scan(text).findings) {
    spans.push_back({f.rule->id, f.original.utf16_start, f.original.utf16_end});
  }
  return spans;
}

void PrintTo(const Span& s, std::ostream* os) {
  *os << s.rule << "[" << s.start << "," << s.end << ")";
}

TEST(Scanner, ConfirmRecoversStartOfVariableWidthMatch) {
  auto rules =
      CompileInline(PackJson("[" + RuleJson("t.digits", R"("pattern":"\\b\\d{6,9}\\b")") + "]"));
  Scanner scanner(rules);
  EXPECT_EQ(Spans(scanner, "id 1234567 and 12345678901"), (std::vector<Span>{{"t.digits", 3, 10}}));
}

TEST(Scanner, APhraseThatEndsAtEveryWordIsOneFindingPerOccurrence) {
  // Hyperscan reports an end after each word; confirm grows the first match to the longest.
  auto rules = CompileInline(PackJson(
      "[" + RuleJson("t.phrase", R"("pattern":"\\bthe only patient(?: [a-z]{2,10}){1,4}")") + "]"));
  Scanner scanner(rules);
  EXPECT_EQ(Spans(scanner, "the only patient on our unit. And the only patient with wings!"),
            (std::vector<Span>{{"t.phrase", 0, 28}, {"t.phrase", 34, 61}}));
}

TEST(Scanner, MatchesSharingADelimiterAreBothConfirmed) {
  // Patterns written for Hyperscan consume the character before and after a number instead
  // of looking around it, so two numbers one space apart share that space.
  auto rules = CompileInline(PackJson(
      "[" +
      RuleJson("t.phone",
               R"json("pattern":"(?:^|[^\\w-])(\\d{3}-\\d{4})(?:[^\\w-]|$)","span_group":1)json") +
      "]"));
  Scanner scanner(rules);
  EXPECT_EQ(Spans(scanner, "call 555-1234 555-9876 or 555-0000"),
            (std::vector<Span>{{"t.phone", 5, 13}, {"t.phone", 14, 22}, {"t.phone", 26, 34}}));
}

TEST(Scanner, SpanGroupNarrowsTheFindingToTheValue) {
  auto rules = CompileInline(PackJson(
      "[" + RuleJson("t.mrn", R"("pattern":"\\bMRN:? ?(\\d{8})\\b","span_group":1)") + "]"));
  Scanner scanner(rules);
  EXPECT_EQ(Spans(scanner, "pt MRN: 44820193 seen"), (std::vector<Span>{{"t.mrn", 8, 16}}));
}

TEST(Scanner, ValidatorRejectsStructurallyInvalidCandidates) {
  auto rules = CompileInline(PackJson(
      "[" + RuleJson("t.ssn", R"("pattern":"\\b\\d{3}-\\d{2}-\\d{4}\\b","validate":"ssn")") + "]"));
  Scanner scanner(rules);
  EXPECT_EQ(Spans(scanner, "666-12-3456 and 219-44-7816"), (std::vector<Span>{{"t.ssn", 16, 27}}));
}

TEST(Scanner, AShorterMatchThatPassesItsCheckIsKeptWhenTheLongestFails) {
  // Hyperscan ends this match after each group; the longest (with the year) fails Luhn,
  // the card number before it passes.
  auto rules = CompileInline(PackJson(
      "[" + RuleJson("t.card", R"("pattern":"\\b\\d{4}(?: \\d{4}){1,4}\\b","validate":"luhn")") +
      "]"));
  Scanner scanner(rules);
  EXPECT_EQ(Spans(scanner, "card 4532 0174 8823 9107 2024"),
            (std::vector<Span>{{"t.card", 5, 24}}));
}

TEST(Scanner, RequiredContextDropsUnlabelledCandidates) {
  auto rules = CompileInline(PackJson(
      "[" +
      RuleJson("t.acct",
               R"("pattern":"\\b\\d{10}\\b","context":{"raise":["account"],"required":true})") +
      "]"));
  Scanner scanner(rules);
  EXPECT_TRUE(Spans(scanner, "order 1234567890 shipped").empty());
  EXPECT_EQ(Spans(scanner, "Account # 1234567890").size(), 1u);
  // Context words count as whole words only: "accounting" is not "account".
  EXPECT_TRUE(Spans(scanner, "accounting 1234567890").empty());
}

TEST(Scanner, LowerWordsCanDropAFindingBelowTheFloor) {
  auto rules = CompileInline(PackJson(
      "[" +
      RuleJson("t.name", R"("terms":["Halvorsen"],"confidence":0.5,"context":{"lower":["dr."]})") +
      "]"));
  Scanner scanner(rules);
  EXPECT_EQ(Spans(scanner, "Mr. Halvorsen pulled his NG").size(), 1u);
  EXPECT_TRUE(Spans(scanner, "thanks to Dr. Halvorsen").empty());
}

TEST(Scanner, TermsMatchWholeWordsOnly) {
  auto rules = CompileInline(PackJson(
      "[" + RuleJson("t.term", R"("terms":["asthma","C. diff"],"caseless":true)", "health") + "]"));
  Scanner scanner(rules);
  EXPECT_EQ(Spans(scanner, "Asthma flare; c. diff positive"),
            (std::vector<Span>{{"t.term", 0, 6}, {"t.term", 14, 21}}));
  EXPECT_TRUE(Spans(scanner, "asthmatic").empty());
}

TEST(Scanner, AFloodOfTermHitsDoesNotHidePatterns) {
  // Term lists and patterns are separate databases with their own cap on raw matches: a
  // paste that fills the term list's share is still scanned for identifiers.
  auto rules = CompileInline(
      PackJson("[" + RuleJson("t.term", R"("terms":["flu"],"caseless":true)", "health") + "," +
               RuleJson("t.digits", R"("pattern":"\\b\\d{9}\\b")") + "]"));
  Scanner scanner(rules);
  std::string text;
  for (int i = 0; i < 210000; ++i) text += "flu ";
  text += "219447816";
  const auto output = scanner.Scan(text);
  ASSERT_FALSE(output.findings.empty());
  EXPECT_EQ(output.findings.back().rule->id, "t.digits");
  EXPECT_EQ(output.findings.back().start, text.size() - 9);
}

TEST(Scanner, OverlapsKeepTheStrongestFinding) {
  auto rules = CompileInline(
      PackJson("[" + RuleJson("t.weak", R"("pattern":"\\b\\d{9}\\b")", "other_id", "warn") + "," +
               RuleJson("t.strong", R"("pattern":"\\b\\d{9}\\b")", "ssn", "block") + "]"));
  Scanner scanner(rules);
  EXPECT_EQ(Spans(scanner, "no 219447816"), (std::vector<Span>{{"t.strong", 3, 12}}));
}

// Within one category the longer span wins over a surer but shorter one: the name is one
// finding ("Maria Okafor", not "Maria"), so one fix replaces all of it.
TEST(Scanner, OverlapsOfOneCategoryKeepTheWholeSpan) {
  auto rules = CompileInline(PackJson(
      "[" + RuleJson("t.given", R"("terms":["Maria"],"confidence":0.9)", "name", "warn") + "," +
      RuleJson("t.full", R"("pattern":"Maria Okafor","confidence":0.5)", "name", "warn") + "]"));
  Scanner scanner(rules);
  EXPECT_EQ(Spans(scanner, "pt Maria Okafor"), (std::vector<Span>{{"t.full", 3, 15}}));
}

// A situation (a video, a room, a link) holds the patient's identifiers rather than
// competing with them: the name inside "Video of Mr. Kowalczyk" is kept beside the video, so
// the user sees which words name the patient. Identifiers still compete among themselves.
TEST(Scanner, SituationsAndTheIdentifiersInsideThemAreBothKept) {
  auto rules = CompileInline(PackJson(
      "[" + RuleJson("t.video", R"("pattern":"Video of Mr\\. [A-Z][a-z]+")", "photo", "warn") +
      "," + RuleJson("t.titled", R"("pattern":"Mr\\. [A-Z][a-z]+")", "name", "warn") + "," +
      RuleJson("t.digits", R"("pattern":"\\d{9}")", "other_id", "warn") + "," +
      RuleJson("t.ssn", R"("pattern":"\\d{9}")", "ssn", "block") + "]"));
  Scanner scanner(rules);
  EXPECT_EQ(Spans(scanner, "Video of Mr. Kowalczyk"),
            (std::vector<Span>{{"t.video", 0, 22}, {"t.titled", 9, 22}}));
  EXPECT_EQ(Spans(scanner, "no 219447816"), (std::vector<Span>{{"t.ssn", 3, 12}}));
}

TEST(Scanner, OffsetsAreUtf16AfterEmojiAndFoldedDigits) {
  auto rules = CompileInline(
      PackJson("[" + RuleJson("t.ssn", R"("pattern":"\\b\\d{3}-\\d{2}-\\d{4}\\b")") + "]"));
  Scanner scanner(rules);
  // Two emoji (4 UTF-16 units), then fullwidth digits and an en dash.
  EXPECT_EQ(Spans(scanner, "\U0001F600\U0001F600 \uFF12\uFF11\uFF19\u201344-7816"),
            (std::vector<Span>{{"t.ssn", 5, 16}}));
}

TEST(CompiledRules, ReportsTheRuleWhosePatternFails) {
  auto pack = rules::ParsePack(PackJson("[" + RuleJson("t.ok", R"("pattern":"abc")") + "," +
                                        RuleJson("t.bad", R"("pattern":"(unclosed")") + "]"),
                               "inline.json");
  ASSERT_TRUE(pack.ok());
  auto built = CompiledRules::Build({pack.value()}, {});
  ASSERT_FALSE(built.ok());
  EXPECT_EQ(built.error().where, "inline.json: t.bad");
}

TEST(CompiledRules, RejectsPatternsThatMatchEmptyText) {
  auto pack = rules::ParsePack(PackJson("[" + RuleJson("t.empty", R"("pattern":"a?")") + "]"),
                               "inline.json");
  auto built = CompiledRules::Build({pack.value()}, {});
  ASSERT_FALSE(built.ok());
  EXPECT_NE(built.error().reason.find("empty"), std::string::npos);
}

TEST(CompiledRules, RejectsUnknownValidators) {
  auto pack = rules::ParsePack(
      PackJson("[" + RuleJson("t.v", R"("pattern":"\\d{4}","validate":"no_such_check")") + "]"),
      "inline.json");
  auto built = CompiledRules::Build({pack.value()}, {});
  ASSERT_FALSE(built.ok());
  EXPECT_NE(built.error().reason.find("no_such_check"), std::string::npos);
}

// A pattern rule and a term-list rule: one rule for each of the two kinds of database.
std::string DigitsAndTermRules() {
  return RuleJson("t.digits", R"("pattern":"\\b\\d{6,9}\\b","examples":["id 1234567"])") + "," +
         RuleJson("t.term", R"("terms":["asthma"],"caseless":true,"examples":["asthma"])",
                  "health");
}

// Cue patterns compile into a database of their own (GroupOf in compiled_rules.cc): a set
// with a term list, a pattern and a cue pattern has three, and a cached copy of it loads
// as three and finds the same.
TEST(CompiledRules, CuePatternsHaveTheirOwnDatabase) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("phiguard-cue-db-test-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::string cue =
      RuleJson("t.cue", R"("pattern":"\\bmy patient\\b","examples":["my patient"])", "cue");
  cue.replace(cue.find(R"("kind":"phi")"), 12, R"("kind":"cue")");
  auto pack =
      rules::ParsePack(PackJson("[" + DigitsAndTermRules() + "," + cue + "]"), "inline.json");
  ASSERT_TRUE(pack.ok()) << pack.error().Describe();
  auto first = CompiledRules::Build({pack.value()},
                                    {.cache = std::make_shared<cache::FileDatabaseStore>(dir)});
  auto second = CompiledRules::Build({pack.value()},
                                     {.cache = std::make_shared<cache::FileDatabaseStore>(dir)});
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_TRUE(second.value()->stats().from_cache);
  EXPECT_EQ(first.value()->databases().size(), 3u);
  EXPECT_EQ(second.value()->databases().size(), 3u);
  Scanner a(first.value()), b(second.value());
  const std::string text = "my patient, id 1234567, asthma";
  const auto output = a.Scan(text);
  ASSERT_EQ(output.cues.size(), 1u);
  EXPECT_EQ(output.cues[0].rule->id, "t.cue");
  EXPECT_EQ(Spans(a, text), (std::vector<Span>{{"t.digits", 15, 22}, {"t.term", 24, 30}}));
  EXPECT_EQ(Spans(b, text), Spans(a, text));
  EXPECT_EQ(b.Scan(text).cues.size(), 1u);
  std::filesystem::remove_all(dir);
}

// A store in memory that hands back what it was given, its databases in the order chosen.
class OrderedStore : public DatabaseStore {
 public:
  util::Result<CachedDatabase> Load(const std::string& key) override {
    if (key != key_) return util::Error{{}, std::string(kNoCacheFile)};
    CachedDatabase cached;
    cached.infos = infos_;
    for (const auto index : order) {
      if (index >= serialised_.size()) continue;
      auto database = DeserializeDatabase(serialised_[index]);
      if (!database.ok()) return database.error();
      cached.databases.push_back(std::move(database).value());
    }
    return cached;
  }
  void Store(const std::string& key, const std::vector<DatabasePtr>& databases,
             const std::vector<ExpressionInfo>& infos) override {
    key_ = key;
    infos_ = infos;
    serialised_.clear();
    for (const auto& database : databases)
      serialised_.push_back(SerializeDatabase(database.get()).value());
  }
  void MarkUsed(const std::string&) override {}
  std::size_t Prune() override { return 0; }

  std::vector<std::size_t> order;  // which stored databases Load returns, in this order

 private:
  std::string key_;
  std::vector<ExpressionInfo> infos_;
  std::vector<std::string> serialised_;
};

// The cache check sends each rule's examples through the database its expressions compile
// into (ProbeCachedDatabases): a set whose databases come back in another order, or fewer
// of them, is rebuilt, though every rule's example still reaches it somewhere.
TEST(CompiledRules, ACachedSetMustHoldEachGroupInItsPlace) {
  auto pack = rules::ParsePack(PackJson("[" + DigitsAndTermRules() + "]"), "inline.json");
  ASSERT_TRUE(pack.ok()) << pack.error().Describe();
  auto store = std::make_shared<OrderedStore>();
  auto first = CompiledRules::Build({pack.value()}, {.cache = store});
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first.value()->databases().size(), 2u);  // term lists, then patterns
  store->order = {0, 1};
  auto in_order = CompiledRules::Build({pack.value()}, {.cache = store});
  ASSERT_TRUE(in_order.ok());
  EXPECT_TRUE(in_order.value()->stats().from_cache);
  store->order = {1, 0};
  auto swapped = CompiledRules::Build({pack.value()}, {.cache = store});
  ASSERT_TRUE(swapped.ok());
  EXPECT_FALSE(swapped.value()->stats().from_cache);
  store->order = {0, 1, 1};
  auto one_more = CompiledRules::Build({pack.value()}, {.cache = store});
  ASSERT_TRUE(one_more.ok());
  EXPECT_FALSE(one_more.value()->stats().from_cache);
  // Rebuilt, a set scans as the first did.
  Scanner a(first.value()), b(swapped.value());
  const std::string text = "id 1234567, asthma";
  EXPECT_EQ(Spans(b, text), Spans(a, text));
}

TEST(CompiledRules, SecondBuildLoadsTheCacheAndScansTheSame) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("phiguard-cache-test-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  // A term list and a pattern: two databases in one cache file.
  auto pack = rules::ParsePack(PackJson("[" + DigitsAndTermRules() + "]"), "inline.json");
  auto first = CompiledRules::Build({pack.value()},
                                    {.cache = std::make_shared<cache::FileDatabaseStore>(dir)});
  auto second = CompiledRules::Build({pack.value()},
                                     {.cache = std::make_shared<cache::FileDatabaseStore>(dir)});
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_FALSE(first.value()->stats().from_cache);
  EXPECT_TRUE(second.value()->stats().from_cache);
  EXPECT_EQ(first.value()->databases().size(), 2u);
  EXPECT_EQ(second.value()->databases().size(), 2u);
  EXPECT_EQ(second.value()->stats().database_bytes, first.value()->stats().database_bytes);
  Scanner a(first.value()), b(second.value());
  const std::string text = "id 1234567, asthma";
  EXPECT_EQ(Spans(a, text), (std::vector<Span>{{"t.digits", 3, 10}, {"t.term", 12, 18}}));
  EXPECT_EQ(Spans(b, text), Spans(a, text));
  // A corrupt cache file is ignored and rebuilt, never trusted.
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    std::ofstream(entry.path(), std::ios::trunc) << "garbage";
  }
  auto third = CompiledRules::Build({pack.value()},
                                    {.cache = std::make_shared<cache::FileDatabaseStore>(dir)});
  ASSERT_TRUE(third.ok());
  EXPECT_FALSE(third.value()->stats().from_cache);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace phiguard::scan
