// The compiled-rules cache is input from a directory the monitored user can write: crafted
// files (out-of-range match ids, edited widths, databases swapped in from other rules) are
// refused and rebuilt, or made harmless, and never crash the host.

#include "cache/file_database_store.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <set>
#include <variant>

#include "scan/scanner.h"
#include "test_support.h"

namespace phiguard::cache {
namespace {

using scan::CompiledRules;
using scan::DatabasePtr;
using scan::Expression;
using scan::ExpressionInfo;
using scan::Scanner;

namespace fs = std::filesystem;
using phiguard::testing::PackJson;
using phiguard::testing::RuleJson;

// Two pattern rules: one database, match ids 0 and 1.
const char* const kDigits = R"(\b\d{6,9}\b)";
const char* const kMrn = R"(MRN \d{8})";
const std::string kPackA = PackJson(
    "[" + RuleJson("t.digits", R"("pattern":"\\b\\d{6,9}\\b","examples":["id 1234567"])") + "," +
    RuleJson("t.mrn", R"("pattern":"MRN \\d{8}","examples":["MRN 12345678"])") + "]");
// Other rules, for a database swapped in from elsewhere.
const std::string kPackB =
    PackJson("[" + RuleJson("t.word", R"("pattern":"zebra\\d","examples":["zebra1"])") + "," +
             RuleJson("t.other", R"("pattern":"okapi\\d","examples":["okapi2"])") + "]");

DatabasePtr Compile(const std::vector<Expression>& expressions) {
  auto compiled = scan::CompileBlockDatabase(expressions);
  EXPECT_TRUE(std::holds_alternative<DatabasePtr>(compiled));
  return std::move(std::get<DatabasePtr>(compiled));
}

class FileDatabaseStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("phiguard-rule-cache-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    auto first = Build(kPackA);
    ASSERT_TRUE(first.ok());
    ASSERT_FALSE(first.value()->stats().from_cache);
    for (const auto& entry : fs::directory_iterator(dir_)) file_ = entry.path();
    ASSERT_FALSE(file_.empty());
    key_ = file_.stem().string().substr(std::string("rules-").size());
    auto cached = FileDatabaseStore(dir_).Load(key_);
    ASSERT_TRUE(cached.ok()) << cached.error().Describe();
    infos_ = cached.value().infos;
    ASSERT_EQ(infos_.size(), 2u);
  }
  void TearDown() override { fs::remove_all(dir_); }

  util::Result<std::shared_ptr<const CompiledRules>> Build(const std::string& pack_json) {
    auto pack = rules::ParsePack(pack_json, "inline.json");
    EXPECT_TRUE(pack.ok());
    return CompiledRules::Build({pack.value()},
                                {.cache = std::make_shared<FileDatabaseStore>(dir_)});
  }
  // What a scan of `text` with `rules` reports, as rule ids.
  static std::vector<std::string> RuleIds(const std::shared_ptr<const CompiledRules>& rules,
                                          const std::string& text) {
    Scanner scanner(rules);
    std::vector<std::string> ids;
    for (const auto& finding : scanner.Scan(text).findings) ids.push_back(finding.rule->id);
    return ids;
  }
  // Builds A again from what is now in the cache: whether the cache was used, and that it
  // still finds both rules.
  bool RebuildUsesCacheAndStillFinds() {
    auto built = Build(kPackA);
    EXPECT_TRUE(built.ok());
    EXPECT_EQ(RuleIds(built.value(), "id 1234567 and MRN 12345678"),
              (std::vector<std::string>{"t.digits", "t.mrn"}));
    return built.value()->stats().from_cache;
  }

  fs::path dir_;
  fs::path file_;
  std::string key_;
  std::vector<ExpressionInfo> infos_;
};

TEST_F(FileDatabaseStoreTest, AnUntouchedFileIsUsed) {
  EXPECT_TRUE(RebuildUsesCacheAndStillFinds());
}

// The key is computed from the patterns the engines compile (lines joined, (?x) removed,
// fragments expanded), not from the pack's text: the same rules written readably reuse
// the database, and changing only a fragment's text changes the key.
std::string PackAWithFragment(const std::string& number) {
  return R"({"pack":"test","version":"1.0.0","description":"d","fragments":{"number":)" + number +
         R"(},"rules":[)" +
         RuleJson("t.digits", R"j("pattern":["(?x)", "\\b {{number}} \\b  # 6-9 digits"],)j"
                              R"j("examples":["id 1234567"])j") +
         "," + RuleJson("t.mrn", R"j("pattern":["MRN ", "\\d{8}"],"examples":["MRN 12345678"])j") +
         "]}";
}

std::size_t CacheFiles(const fs::path& dir) {
  return static_cast<std::size_t>(
      std::distance(fs::directory_iterator(dir), fs::directory_iterator()));
}

TEST_F(FileDatabaseStoreTest, KeyFollowsExpandedPatternsNotHowTheyAreWritten) {
  auto readable = Build(PackAWithFragment(R"j("\\d{6,9}")j"));
  ASSERT_TRUE(readable.ok()) << readable.error().Describe();
  EXPECT_TRUE(readable.value()->stats().from_cache);  // same patterns as kPackA: same key
  EXPECT_EQ(CacheFiles(dir_), 1u);

  auto changed = Build(PackAWithFragment(R"j(["(?x) \\d{6,10}  # one more digit"])j"));
  ASSERT_TRUE(changed.ok()) << changed.error().Describe();
  EXPECT_FALSE(changed.value()->stats().from_cache);  // only the fragment differs
  EXPECT_EQ(CacheFiles(dir_), 2u);
  EXPECT_EQ(RuleIds(changed.value(), "id 1234567890"), std::vector<std::string>{"t.digits"});
}

TEST_F(FileDatabaseStoreTest, AnEditedByteFailsTheDigest) {
  std::string bytes;
  {
    std::ifstream in(file_, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  // The max_width of the first expression, after the magic line, the Hyperscan build and
  // the count.
  const std::size_t width =
      std::string("PHIGUARD-HSDB-6\n").size() + 4 + scan::LibraryAndPlatformKey().size() + 4 + 4;
  bytes[width] = 1;
  bytes[width + 1] = bytes[width + 2] = bytes[width + 3] = 0;
  std::ofstream(file_, std::ios::binary | std::ios::trunc) << bytes;
  EXPECT_FALSE(FileDatabaseStore(dir_).Load(key_).ok());
  EXPECT_FALSE(RebuildUsesCacheAndStillFinds());
}

// Whoever can write the cache can also write a digest that matches (FileDatabaseStore::Store is
// what they would do): a pattern's width then comes from the pattern, not the file, so a
// narrowed width blinds nothing.
TEST_F(FileDatabaseStoreTest, AWidthEditedWithAMatchingDigestBlindsNothing) {
  auto narrowed = infos_;
  narrowed[1].max_width = 1;  // "MRN \d{8}" could never be confirmed in a 1-byte window
  std::vector<DatabasePtr> databases;
  databases.push_back(Compile({{kDigits, 0, 0}, {kMrn, 0, 1}}));
  FileDatabaseStore(dir_).Store(key_, databases, narrowed);
  EXPECT_TRUE(RebuildUsesCacheAndStillFinds());  // finds "MRN 12345678" all the same
  auto rebuilt = Build(kPackA);
  ASSERT_TRUE(rebuilt.ok());
  EXPECT_EQ(rebuilt.value()->rules()[1].max_width, 12u);
}

TEST_F(FileDatabaseStoreTest, ADatabaseFromOtherRulesIsRefused) {
  // Copied over the file as it is: the digest is bound to the key.
  fs::remove_all(dir_);
  ASSERT_TRUE(Build(kPackB).ok());
  fs::path other;
  for (const auto& entry : fs::directory_iterator(dir_)) other = entry.path();
  fs::rename(other, file_);
  EXPECT_FALSE(RebuildUsesCacheAndStillFinds());
  // Stored under A's key with a digest that matches: A's examples do not reach A's rules.
  std::vector<DatabasePtr> databases;
  databases.push_back(Compile({{"zebra\\d", 0, 0}, {"okapi\\d", 0, 1}}));
  FileDatabaseStore(dir_).Store(key_, databases, infos_);
  EXPECT_FALSE(RebuildUsesCacheAndStillFinds());
  // A's database with one rule taken out.
  databases.clear();
  databases.push_back(Compile({{kDigits, 0, 0}}));
  FileDatabaseStore(dir_).Store(key_, databases, infos_);
  EXPECT_FALSE(RebuildUsesCacheAndStillFinds());
}

TEST_F(FileDatabaseStoreTest, MatchIdsOutsideTheRuleSetAreRefusedOrDropped) {
  // Ids shifted past the set: the examples report them, so the file is refused.
  std::vector<DatabasePtr> databases;
  databases.push_back(Compile({{kDigits, 0, 1000}, {kMrn, 0, 1001}}));
  FileDatabaseStore(dir_).Store(key_, databases, infos_);
  EXPECT_FALSE(RebuildUsesCacheAndStillFinds());
  // An extra expression no example reaches, with an id far outside: used, and the scanner
  // drops its matches instead of indexing with them (a SIGSEGV before).
  databases.clear();
  databases.push_back(Compile({{kDigits, 0, 0}, {kMrn, 0, 1}, {"qq\\d", 0, 0x7ffffff0}}));
  FileDatabaseStore(dir_).Store(key_, databases, infos_);
  auto built = Build(kPackA);
  ASSERT_TRUE(built.ok());
  EXPECT_EQ(RuleIds(built.value(), "qq1 MRN 12345678 qq2"), std::vector<std::string>{"t.mrn"});
}

// Each bundle or organisation-rule change leaves a set of a few MB behind; pruning at
// start keeps the newest few and nothing that is not the cache's own.
TEST_F(FileDatabaseStoreTest, PruningKeepsTheNewestSetsAndLeavesOtherFilesAlone) {
  const auto now = fs::file_time_type::clock::now();
  const auto write = [&](const std::string& name, std::chrono::hours age) {
    std::ofstream(dir_ / name) << "x";
    fs::last_write_time(dir_ / name, now - age);
  };
  fs::remove(file_);
  for (int i = 0; i < 5; ++i)
    write("rules-set" + std::to_string(i) + ".hsdb", std::chrono::hours(i));
  write("notes.txt", std::chrono::hours(100));
  write("rules-crashed.hsdb.tmp123", std::chrono::hours(2));  // a writer that died
  write("rules-busy.hsdb.tmp456", std::chrono::hours(0));     // a writer at work
  EXPECT_EQ(PruneCache(dir_, 3), 3u);
  std::set<std::string> left;
  for (const auto& entry : fs::directory_iterator(dir_)) left.insert(entry.path().filename());
  EXPECT_EQ(left, (std::set<std::string>{"rules-set0.hsdb", "rules-set1.hsdb", "rules-set2.hsdb",
                                         "notes.txt", "rules-busy.hsdb.tmp456"}));
  EXPECT_EQ(PruneCache(dir_ / "absent", 3), 0u);
}

// A set loaded from the cache is the one in use, however long ago it was written.
TEST_F(FileDatabaseStoreTest, ASetLoadedFromTheCacheIsKeptOverOneWrittenLater) {
  ASSERT_TRUE(Build(kPackB).ok());
  fs::path other;
  for (const auto& entry : fs::directory_iterator(dir_)) {
    if (entry.path() != file_) other = entry.path();
  }
  ASSERT_FALSE(other.empty());
  const auto now = fs::file_time_type::clock::now();
  fs::last_write_time(file_, now - std::chrono::hours(48));
  fs::last_write_time(other, now - std::chrono::hours(1));
  ASSERT_TRUE(RebuildUsesCacheAndStillFinds());
  EXPECT_EQ(PruneCache(dir_, 1), 1u);
  EXPECT_TRUE(fs::exists(file_));
  EXPECT_FALSE(fs::exists(other));
}

}  // namespace
}  // namespace phiguard::cache
