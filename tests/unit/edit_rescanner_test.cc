#include "scan/edit_rescanner.h"

#include <gtest/gtest.h>

#include <random>
#include <sstream>

#include "scan_compare.h"
#include "test_support.h"

namespace phiguard::scan {
namespace {

using phiguard::testing::BuiltinRules;
using phiguard::testing::CharBoundary;
using phiguard::testing::CompileInline;
using phiguard::testing::Difference;
using phiguard::testing::Document;
using phiguard::testing::PackJson;
using phiguard::testing::PackTexts;
using phiguard::testing::RuleJson;

// The built-in packs, a scanner for whole scans to compare with, and a rescanner.
class EditRescannerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    rules_ = BuiltinRules();
    ASSERT_NE(rules_, nullptr);
    full_ = std::make_unique<Scanner>(rules_);
    scanner_ = std::make_unique<Scanner>(rules_);
    rescanner_ = std::make_unique<EditRescanner>(*scanner_);
    texts_ = PackTexts(*rules_);
  }

  // Empty when the rescanner answers `text` as a whole scan does.
  std::string CompareScans(const std::string& text) {
    return Difference(rescanner_->Scan(text).findings, full_->Scan(text).findings);
  }

  std::shared_ptr<const CompiledRules> rules_;
  std::unique_ptr<Scanner> full_;
  std::unique_ptr<Scanner> scanner_;
  std::unique_ptr<EditRescanner> rescanner_;
  std::vector<std::string> texts_;
};

TEST_F(EditRescannerTest, AnswersAsAFullScanDoesAfterRandomEdits) {
  ASSERT_GT(rescanner_->radius(), 0u);
  const auto& texts = texts_;
  std::mt19937 rng(20261204);
  std::string text = Document(texts, 48 * 1024, rng);
  rescanner_->Scan(text);
  int rescans = 0;
  constexpr int kEdits = 150;
  for (int edit = 0; edit < kEdits; ++edit) {
    const std::size_t at = CharBoundary(text, rng() % (text.size() + 1));
    switch (rng() % 6) {
      case 0:  // type a character at the end
        text += "abc 1-/ "[rng() % 8];
        break;
      case 1:  // type a character in the middle
        text.insert(at, 1, "xyz 0.9@"[rng() % 8]);
        break;
      case 2:  // paste a sentence
        text.insert(at, texts[rng() % texts.size()] + " ");
        break;
      case 3: {  // delete a selection
        const std::size_t to = CharBoundary(text, std::min(text.size(), at + 1 + rng() % 300));
        text.erase(at, to - at);
        break;
      }
      case 4: {  // replace a selection
        const std::size_t to = CharBoundary(text, std::min(text.size(), at + rng() % 100));
        text.replace(at, to - at, texts[rng() % texts.size()]);
        break;
      }
      default:  // paste a paragraph
        text.insert(at, Document(texts, 2000, rng));
        break;
    }
    const auto expected = full_->Scan(text);
    const auto got = rescanner_->Scan(text);
    ASSERT_EQ(Difference(got.findings, expected.findings), "") << "after edit " << edit;
    if (got.candidates < expected.candidates / 2) ++rescans;
  }
  // Most edits were answered by scanning around them, not the whole text.
  EXPECT_GT(rescans, kEdits * 3 / 4);
}

TEST_F(EditRescannerTest, EditsAtTheVeryStartAndEndMatchAFullScan) {
  std::mt19937 rng(7);
  std::string text = Document(texts_, 40 * 1024, rng);
  rescanner_->Scan(text);
  for (const std::string_view added :
       {"MRN 44820193 ", "Jane Doe, 91 y/o, admitted 3/14 for sepsis. "}) {
    text.insert(0, added);
    EXPECT_EQ(CompareScans(text), "");
    text += added;
    EXPECT_EQ(CompareScans(text), "");
  }
  text.erase(0, CharBoundary(text, 500));
  EXPECT_EQ(CompareScans(text), "");
}

TEST_F(EditRescannerTest, KeepsOneTextPerComposer) {
  // Two long composers typed into in turn: each edit is rescanned from its own composer's
  // earlier text, not the other's.
  std::mt19937 rng(11);
  std::string first = Document(texts_, 30 * 1024, rng);
  std::string second = Document(texts_, 30 * 1024, rng);
  rescanner_->Scan(first);
  rescanner_->Scan(second);
  for (int i = 0; i < 3; ++i) {
    for (auto* text : {&first, &second}) {
      *text += " SSN 219-44-7816";
      const auto expected = full_->Scan(*text);
      const auto got = rescanner_->Scan(*text);
      EXPECT_EQ(Difference(got.findings, expected.findings), "");
      EXPECT_LT(got.candidates, expected.candidates / 2);
    }
  }
}

TEST_F(EditRescannerTest, SendingTheSameTextAgainAnswersTheSame) {
  std::mt19937 rng(3);
  const std::string text = Document(texts_, 20 * 1024, rng);
  const auto first = rescanner_->Scan(text);
  const auto again = rescanner_->Scan(text);
  EXPECT_FALSE(first.findings.empty());
  EXPECT_EQ(Difference(again.findings, first.findings), "");
  EXPECT_EQ(again.candidates, 0u);
}

TEST_F(EditRescannerTest, TextsOverTheKeptSizeAreScannedWhole) {
  std::mt19937 rng(5);
  std::string text = Document(texts_, EditRescanner::kMaxKeptBytes + 4096, rng);
  rescanner_->Scan(text);
  text += " SSN 219-44-7816";
  const auto expected = full_->Scan(text);
  const auto got = rescanner_->Scan(text);
  EXPECT_EQ(Difference(got.findings, expected.findings), "");
  EXPECT_EQ(got.candidates, expected.candidates);  // the whole text again
}

TEST(EditRescanner, AnUnboundedRuleMakesEveryScanWhole) {
  auto rules =
      CompileInline(PackJson("[" + RuleJson("t.word", R"("pattern":"\\bx[a-z]+\\b")") + "]"));
  ASSERT_NE(rules, nullptr);
  Scanner scanner(rules);
  EditRescanner rescanner(scanner);
  EXPECT_EQ(rescanner.radius(), 0u);
  std::string text(20 * 1024, ' ');
  text += "xylophone";
  EXPECT_EQ(rescanner.Scan(text).findings.size(), 1u);
  text += " xenon";
  const auto again = rescanner.Scan(text);
  EXPECT_EQ(again.findings.size(), 2u);
  EXPECT_EQ(again.candidates, 2u);  // the whole text again
}

}  // namespace
}  // namespace phiguard::scan
