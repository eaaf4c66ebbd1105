// Findings the post-voice model raises on its own (scan/patient_voice.h): where a story
// reads as a patient's and no identifier is kept near it.
#include "scan/patient_voice.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "rules/pack_loader.h"
#include "scan/scanner.h"
#include "scan/voice_score.h"
#include "test_support.h"

namespace phiguard::scan {
namespace {

using phiguard::testing::CompileInline;

// "weaned", "bed" and "guy" read as a patient's story, "proud" as anything but; "weaned"
// is a care word; a name rule that needs a patient cue, and an MRN that stands alone.
std::shared_ptr<const CompiledRules> RaisingRules(const char* raise = "0.9") {
  return CompileInline(std::string(R"({"pack":"test","version":"1.0.0","description":"d",
    "voice_model":{"bias":-1,"threshold":0.1,"raise_threshold":)") +
                       raise + R"(,
      "weights":{"weaned":4,"bed":1,"proud":-6,"bed 0":0.5,"guy":5}},
    "rules":[
    {"id":"t.name","title":"t","category":"name","kind":"phi","severity":"high",
     "action":"warn","linkage":"person","terms":["Renata"],"message":"m","examples":["Renata"]},
    {"id":"t.mrn","title":"t","category":"mrn","kind":"phi","severity":"critical",
     "action":"block","pattern":"MRN \\d{8}","message":"m","examples":["MRN 12345678"]},
    {"id":"t.patient","title":"t","category":"cue","kind":"cue","severity":"low",
     "action":"info","evidence":"patient_health","terms":["my patient"],"message":"m",
     "examples":["my patient"]},
    {"id":"t.care","title":"t","category":"cue","kind":"cue","severity":"low",
     "action":"info","evidence":"health","terms":["weaned"],"message":"m",
     "examples":["weaned"]}]})");
}

std::vector<Finding> Raised(Scanner& scanner, std::string_view text) {
  std::vector<Finding> raised;
  for (auto& f : scanner.Scan(text).findings) {
    if (f.rule == &PatientVoiceRule()) raised.push_back(std::move(f));
  }
  return raised;
}

TEST(PatientVoice, AStoryThatReadsAsAPatientsGetsAFindingOnItsStrongestWords) {
  auto rules = RaisingRules();
  ASSERT_NE(rules, nullptr);
  Scanner scanner(rules);
  scanner.NameLinkEvidence(true);
  const std::string text = "bed 16 weaned to 4L today, family's gonna lose it";
  const auto raised = Raised(scanner, text);
  ASSERT_EQ(raised.size(), 1u);
  const auto& f = raised.front();
  EXPECT_EQ(f.rule->id, "phi.reads_as_patient");
  EXPECT_EQ(f.rule->category, "patient_detail");
  EXPECT_EQ(f.action, rules::Action::kWarn);
  EXPECT_EQ(text.substr(f.original.byte_start, f.original.byte_end - f.original.byte_start),
            "weaned");
  // logit -1 + 4 + 1 + 0.5 ("bed", "bed 0", "weaned"): the probability is the confidence.
  EXPECT_NEAR(f.confidence, 1.0 / (1.0 + std::exp(-4.5)), 1e-6);
  std::string words;
  for (const auto& w : f.context_words) words += w;
  EXPECT_EQ(words, "+voice: reads as about a patient: 'weaned', 'bed', 'bed 0'");
}

TEST(PatientVoice, NothingBelowTheThresholdOrWithoutOne) {
  auto rules = RaisingRules();
  ASSERT_NE(rules, nullptr);
  Scanner scanner(rules);
  EXPECT_TRUE(Raised(scanner, "so proud: bed 16 weaned to 4L").empty()) << "-1+4+1+0.5-6";
  EXPECT_TRUE(Raised(scanner, "bed 16 is free").empty()) << "-1+1+0.5 is below 0.9";
  auto lowering_only = CompileInline(R"({"pack":"test","version":"1.0.0","description":"d",
    "voice_model":{"bias":-1,"threshold":0.1,"weights":{"weaned":4}},
    "rules":[{"id":"t.h","title":"t","category":"health","kind":"health","severity":"low",
     "action":"info","terms":["flu"],"message":"m","examples":["flu"]}]})");
  ASSERT_NE(lowering_only, nullptr);
  Scanner plain(lowering_only);
  EXPECT_TRUE(Raised(plain, "bed 16 weaned to 4L today").empty());
}

// An identifier that is kept already says the post is about someone: the story adds no
// finding of its own near it, but does far from it.
TEST(PatientVoice, NoneNearAKeptIdentifier) {
  auto rules = RaisingRules();
  ASSERT_NE(rules, nullptr);
  Scanner scanner(rules);
  EXPECT_TRUE(Raised(scanner, "MRN 12345678 weaned to 4L").empty());
  EXPECT_TRUE(Raised(scanner, "my patient Renata weaned to 4L").empty());
  const std::string far(kVoiceWindowBytes + 10, '.');
  const std::string text = "MRN 12345678 stable." + far + "bed 16 weaned to 4L";
  const auto raised = Raised(scanner, text);
  ASSERT_EQ(raised.size(), 1u);
  EXPECT_EQ(raised.front().original.byte_start, text.find("weaned"));
}

// An identifier linkage lowered keeps its rule and its reason (a rule's negatives mean what
// their author wrote); the story is raised beside it, never on its span.
TEST(PatientVoice, ALoweredIdentifierKeepsItsRuleAndTheStoryIsRaisedBesideIt) {
  auto rules = RaisingRules();
  ASSERT_NE(rules, nullptr);
  Scanner scanner(rules);
  scanner.NameLinkEvidence(true);
  // The care word is beyond linkage's window, in a post too long to be read whole by it, but
  // within the model's window.
  const std::string gap(kShortPostBytes + kLinkWindowBytes, '.');
  const std::string text = "Renata, bed 16 is the guy" + gap + "weaned";
  const auto out = scanner.Scan(text);
  ASSERT_EQ(out.findings.size(), 2u);
  EXPECT_EQ(out.findings[0].rule->id, "t.name");
  EXPECT_EQ(out.findings[0].action, rules::Action::kInfo);
  EXPECT_EQ(out.findings[1].rule, &PatientVoiceRule());
  EXPECT_EQ(out.findings[1].original.byte_start, text.find("guy"));
}

// A model word inside an identifier's span never anchors: "Mr" of "Mr Tan" is the name's.
TEST(PatientVoice, NeverOnAnIdentifiersSpan) {
  auto rules = CompileInline(R"({"pack":"test","version":"1.0.0","description":"d",
    "voice_model":{"bias":-1,"threshold":0.1,"raise_threshold":0.9,
      "weights":{"mr":6,"bed":1}},
    "rules":[
    {"id":"t.name","title":"t","category":"name","kind":"phi","severity":"high",
     "action":"warn","linkage":"person","pattern":"Mr Tan","message":"m",
     "examples":["Mr Tan"]}]})");
  ASSERT_NE(rules, nullptr);
  Scanner scanner(rules);
  const std::string text = "Mr Tan in bed";
  const auto raised = Raised(scanner, text);
  ASSERT_EQ(raised.size(), 1u);
  EXPECT_EQ(raised.front().original.byte_start, text.find("bed"));
}

// One finding per voice window: a short post has at most one; a long paste one per story
// that reads as a patient's, each on its own strongest words.
TEST(PatientVoice, OneAnchorPerWindow) {
  auto rules = RaisingRules();
  ASSERT_NE(rules, nullptr);
  Scanner scanner(rules);
  EXPECT_EQ(Raised(scanner, "weaned! bed 3 weaned, bed 4 weaned").size(), 1u);
  const std::string gap(kVoiceWindowBytes * 2 + 10, '.');
  const std::string text = "bed 1 weaned" + gap + "bed 2 weaned" + gap + "so proud: weaned";
  const auto raised = Raised(scanner, text);
  ASSERT_EQ(raised.size(), 2u);
  EXPECT_EQ(raised[0].original.byte_start, text.find("weaned"));
  EXPECT_EQ(raised[1].original.byte_start, text.find("weaned", text.find("bed 2")));
}

TEST(PatientVoice, TheRaiseThresholdMustLieAboveTheLoweringOne) {
  const auto describe = [](const char* raise) {
    auto pack = rules::ParsePack(
        std::string(R"({"pack":"p","version":"1.0.0","description":"d",)"
                    R"("rules":[{"id":"t.h","title":"t","category":"health","kind":"health",)"
                    R"("severity":"low","action":"info","terms":["flu"],"message":"m",)"
                    R"("examples":["flu"]}],"voice_model":{"bias":0,"threshold":0.2,)"
                    R"("weights":{"a":1},"raise_threshold":)") +
            raise + "}}",
        "p.json");
    return pack.ok() ? std::string("ok") : pack.error().Describe();
  };
  EXPECT_EQ(describe("0.9"), "ok");
  EXPECT_NE(describe("0.1").find("between 'threshold' and 1"), std::string::npos);
  EXPECT_NE(describe("1").find("between 'threshold' and 1"), std::string::npos);
  EXPECT_NE(describe("\"high\"").find("between 'threshold' and 1"), std::string::npos);
}

}  // namespace
}  // namespace phiguard::scan
