#include "scan/piecewise_scan.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "engine/engine.h"
#include "protocol/limits.h"
#include "scan/edit_rescanner.h"
#include "scan_compare.h"
#include "test_support.h"

namespace phiguard::scan {
namespace {

using phiguard::testing::BuiltinRules;
using phiguard::testing::Difference;
using phiguard::testing::Document;
using phiguard::testing::PackTexts;

class PiecewiseScanTest : public ::testing::Test {
 protected:
  void SetUp() override {
    rules_ = BuiltinRules();
    ASSERT_NE(rules_, nullptr);
    scanner_ = std::make_unique<Scanner>(rules_);
    texts_ = PackTexts(*rules_);
    ASSERT_TRUE(ReachOf(*rules_).bounded()) << "the built-in packs have an unbounded rule";
  }

  std::shared_ptr<const CompiledRules> rules_;
  std::unique_ptr<Scanner> scanner_;
  std::vector<std::string> texts_;
};

// `phiguard scan`'s case: a file just over what the host accepts, scanned in two pieces and
// whole. Every fourth sentence is one of the packs' examples or near misses, the rest staff
// chatter: denser text makes the whole scan stop at its cap on raw matches (ScanOutput::
// capped), where the two answers may rightly differ.
TEST_F(PiecewiseScanTest, TextJustOverTheHostLimitGivesTheWholeScansFindings) {
  std::vector<std::string> sentences = texts_;
  const std::string chatter[] = {"Huge thanks to the night shift for a great week",
                                 "The wellness fair is in the main lobby on Saturday",
                                 "Parking garage opens next month, shuttle until then"};
  for (std::size_t i = 0; i < 3 * texts_.size(); ++i) sentences.push_back(chatter[i % 3]);
  std::mt19937 rng(17);
  const std::string text = Document(sentences, protocol::kMaxTextBytes + 64 * 1024, rng);
  std::size_t pieces = 0;
  const auto in_pieces = ScanInPieces(*scanner_, text, protocol::kMaxTextBytes, &pieces);
  EXPECT_EQ(pieces, 2u);
  const auto whole = scanner_->Scan(text);
  ASSERT_FALSE(whole.capped);
  EXPECT_FALSE(in_pieces.capped);
  ASSERT_GT(whole.findings.size(), 1000u);
  EXPECT_EQ(Difference(in_pieces.findings, whole.findings), "");
}

// Many cuts: pieces just large enough for their margins, over documents with random
// content, so cuts fall inside findings, context windows and multi-byte characters.
TEST_F(PiecewiseScanTest, SmallPiecesGiveTheWholeScansFindingsWhereverTheCutsFall) {
  const std::size_t margin = ReachOf(*rules_).margin();
  std::mt19937 rng(29);
  // The document grows with the packs' reach so that every round still makes many cuts.
  const std::size_t text_bytes = std::max<std::size_t>(300 * 1024, 12 * 8 * margin);
  for (int round = 0; round < 4; ++round) {
    const std::string text = Document(texts_, text_bytes, rng);
    const std::size_t piece_bytes = 5 * margin + rng() % (3 * margin);
    std::size_t pieces = 0;
    const auto in_pieces = ScanInPieces(*scanner_, text, piece_bytes, &pieces);
    EXPECT_GT(pieces, 10u) << "margin " << margin << ", pieces of " << piece_bytes << " bytes";
    const auto whole = scanner_->Scan(text);
    ASSERT_FALSE(whole.capped);
    ASSERT_EQ(Difference(in_pieces.findings, whole.findings), "")
        << "round " << round << ", pieces of " << piece_bytes << " bytes";
  }
}

TEST_F(PiecewiseScanTest, TextsThatFitAreScannedWhole) {
  std::mt19937 rng(3);
  const std::string text = Document(texts_, 20 * 1024, rng);
  std::size_t pieces = 0;
  const auto output = ScanInPieces(*scanner_, text, protocol::kMaxTextBytes, &pieces);
  EXPECT_EQ(pieces, 1u);
  EXPECT_EQ(Difference(output.findings, scanner_->Scan(text).findings), "");
}

// Without a bound on how far text reaches, no piece can be trusted: the text is scanned whole.
TEST(PiecewiseScan, AnUnboundedRuleMakesEveryScanWhole) {
  auto rules = phiguard::testing::CompileInline(phiguard::testing::PackJson(
      "[" + phiguard::testing::RuleJson("t.unbounded", R"("pattern":"ID-[0-9]+")") + "]"));
  ASSERT_NE(rules, nullptr);
  ASSERT_FALSE(ReachOf(*rules).bounded());
  Scanner scanner(rules);
  std::string text;
  while (text.size() < 64 * 1024) text += "ID-12345 and some words. ";
  std::size_t pieces = 0;
  const auto output = ScanInPieces(scanner, text, 16 * 1024, &pieces);
  EXPECT_EQ(pieces, 1u);
  EXPECT_EQ(Difference(output.findings, scanner.Scan(text).findings), "");
}

// The engine entry point `phiguard scan` uses: same findings and verdict as a whole scan.
TEST_F(PiecewiseScanTest, EngineGivesTheWholeScansVerdictAndFindings) {
  std::mt19937 rng(41);
  const std::string text = Document(texts_, 200 * 1024, rng);
  engine::Engine engine(rules_, engine::EditRescans::kOff);
  const auto whole = engine.Scan(text);
  const auto in_pieces = engine.ScanInPieces(text, 32 * 1024);
  EXPECT_EQ(in_pieces.verdict, whole.verdict);
  EXPECT_EQ(Difference(in_pieces.findings, whole.findings), "");
}

}  // namespace
}  // namespace phiguard::scan
