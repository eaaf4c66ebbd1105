#include "engine/engine.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace phiguard::engine
