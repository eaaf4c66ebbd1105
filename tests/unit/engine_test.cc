#include "engine/engine.h"

#include <gtest/gtest.h>

#include "engine/rule_loading.h"
#include "protocol/messages.h"
#include "shared_cache.h"
#include "test_support.h"

namespace phiguard::engine {
namespace {

using phiguard::testing::CompileInline;
using phiguard::testing::PackJson;
using phiguard::testing::RuleJson;

std::shared_ptr<const scan::CompiledRules> WordRule(const std::string& word) {
  return CompileInline(
      PackJson("[" + RuleJson("t." + word, R"("pattern":"\\b)" + word + R"(\\b")") + "]"));
}

std::vector<std::uint32_t> Starts(const ScanReport& report) {
  std::vector<std::uint32_t> starts;
  for (const auto& f : report.findings) starts.push_back(f.original.utf16_start);
  return starts;
}

// A text long enough for edit rescans, with `word` at a few places.
std::string LongText(const std::string& word) {
  std::string text;
  for (int i = 0; i < 700; ++i) {
    text += i % 97 == 0 ? "the " + word + " line, " : "an ordinary line of text, ";
  }
  return text;
}

// A pack limited to review replies, and one for every surface, in one set.
std::shared_ptr<const scan::CompiledRules> ScopedAndUnscopedRules() {
  auto scoped = rules::ParsePack(
      R"({"pack":"review","version":"1","description":"d","surfaces":["review_reply"],
          "sites":["business.google.com","biz.yelp.com"],
          "rules":[{"id":"t.records","title":"t","category":"review_response","kind":"policy",
                    "severity":"medium","action":"warn","message":"m","examples":["records"],
                    "pattern":"\\brecords\\b"}]})",
      "review.json");
  auto everywhere = rules::ParsePack(
      PackJson("[" + RuleJson("t.mrn", R"("pattern":"\\bmrn\\b")") + "]"), "everywhere.json");
  EXPECT_TRUE(scoped.ok() && everywhere.ok());
  std::vector<rules::Pack> packs;
  packs.push_back(std::move(scoped).value());
  packs.push_back(std::move(everywhere).value());
  auto built = scan::CompiledRules::Build(std::move(packs), {});
  EXPECT_TRUE(built.ok());
  return built.value();
}

std::vector<std::string> RuleIds(const ScanReport& report) {
  std::vector<std::string> ids;
  for (const auto& f : report.findings) ids.push_back(f.rule->id);
  return ids;
}

TEST(Engine, APackLimitedToASurfaceAndSitesAppliesOnlyThere) {
  Engine engine(ScopedAndUnscopedRules(), EditRescans::kOff);
  const std::string text = "per our records the mrn is on file";
  using Ids = std::vector<std::string>;
  EXPECT_EQ(RuleIds(engine.Scan(text, {.site = "business.google.com", .surface = "review_reply"})),
            (Ids{"t.records", "t.mrn"}));
  EXPECT_EQ(RuleIds(engine.Scan(text, {.site = "x.com", .surface = "compose"})), (Ids{"t.mrn"}));
  EXPECT_EQ(RuleIds(engine.Scan(text, {.site = "x.com", .surface = "review_reply"})),
            (Ids{"t.mrn"}))
      << "a review reply on a site the pack does not name";
  EXPECT_EQ(RuleIds(engine.Scan(text)), (Ids{"t.records", "t.mrn"}))
      << "a request that names no site or surface gets every rule";
}

TEST(Engine, EditsToALongTextAreFoundAsByAWholeScan) {
  auto rules = WordRule("alpha");
  ASSERT_NE(rules, nullptr);
  Engine typing(rules, EditRescans::kOn);
  Engine whole(rules, EditRescans::kOff);
  std::string text = LongText("alpha");
  ASSERT_GE(text.size(), scan::EditRescanner::kMinTextBytes);
  EXPECT_EQ(Starts(typing.Scan(text)), Starts(whole.Scan(text)));
  text.insert(text.size() / 2, "alpha ");
  const auto typed = typing.Scan(text);
  const auto scanned = whole.Scan(text);
  EXPECT_EQ(Starts(typed), Starts(scanned));
  EXPECT_EQ(typed.findings.size(), 9u);  // eight in the text, one typed
  // Only the text around the edit went through the prefilter.
  EXPECT_LT(typed.candidates, scanned.candidates);
  text += " alpha";
  EXPECT_EQ(Starts(typing.Scan(text)), Starts(whole.Scan(text)));
}

TEST(Engine, NewRulesAreNotAnsweredWithTheOldRulesFindings) {
  auto alpha = WordRule("alpha");
  auto beta = WordRule("beta");
  ASSERT_NE(alpha, nullptr);
  ASSERT_NE(beta, nullptr);
  Engine engine(alpha, EditRescans::kOn);
  const std::string text = LongText("beta") + " alpha";
  ASSERT_EQ(engine.Scan(text).findings.size(), 1u);
  engine.ReplaceRules(beta);
  const auto report = engine.Scan(text);
  ASSERT_EQ(report.findings.size(), 8u);
  EXPECT_EQ(report.findings.front().rule->id, "t.beta");
}

// Former bug: 800 KB of CSV numbers filled the raw-match cap, the prefilter stopped, and
// Engine::Scan dropped ScanOutput.capped: a labelled SSN after them came back `allow` with
// no sign that most of the text was never checked.
TEST(Engine, AScanCutShortByTheMatchCapSaysSoAndWarns) {
  // A rule that fires on every digit stands in for a rule set dense enough for the text:
  // the default packs reach the cap (200,000 raw matches) only with denser pastes.
  auto rules = CompileInline(PackJson(
      "[" + RuleJson("t.digit", R"("pattern":"\\d","examples":["1"])", "other_id", "info") + "," +
      RuleJson("t.ssn", R"("pattern":"\\b\\d{3}-\\d{2}-\\d{4}\\b","examples":["219-44-7816"])",
               "ssn", "block") +
      "]"));
  ASSERT_NE(rules, nullptr);
  std::string text = "id,amount,code\n";
  for (int row = 0; text.size() < 800 * 1024; ++row) {
    text += std::to_string(1000000 + row) + "," + std::to_string(20000 + row % 7919) + "," +
            std::to_string(300 + row % 97) + "\n";
  }
  text += "Patient SSN: 219-44-7816\n";
  Engine engine(rules, EditRescans::kOff);
  const auto report = engine.Scan(text);
  ASSERT_TRUE(report.capped) << "the text no longer reaches the cap; make it denser";
  EXPECT_NE(report.verdict, policy::Verdict::kAllow);
  ASSERT_FALSE(report.findings.empty());
  const auto& flag = report.findings.back();
  EXPECT_EQ(flag.rule->id, kScanCappedRuleId);
  EXPECT_NE(flag.rule->message.find("not checked"), std::string::npos);
  EXPECT_EQ(flag.original.utf16_end, text.size());  // ASCII: one code unit a byte
  EXPECT_EQ(flag.original.utf16_start + 1, flag.original.utf16_end);
  const auto reply = nlohmann::json::parse(protocol::ResultReply(report, {}));
  EXPECT_EQ(reply.value("capped", false), true);
  EXPECT_NE(reply.value("verdict", ""), "allow");
}

TEST(Engine, AnOrdinaryScanIsNotCapped) {
  auto rules = LoadBuiltinRules({}, {.cache = testing::SharedTestCache()});
  ASSERT_TRUE(rules.ok());
  Engine engine(rules.value(), EditRescans::kOff);
  const auto report = engine.Scan("Patient SSN: 219-44-7816");
  EXPECT_FALSE(report.capped);
  EXPECT_FALSE(nlohmann::json::parse(protocol::ResultReply(report, {})).contains("capped"));
}

}  // namespace
}  // namespace phiguard::engine
