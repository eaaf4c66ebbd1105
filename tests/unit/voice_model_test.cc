// The post-voice model: its pack field, its features, and the linkage step it drives
// (rules/voice_model.h, scan/voice_score.h).
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "rules/pack_loader.h"
#include "scan/linkage.h"
#include "scan/scanner.h"
#include "scan/voice_score.h"
#include "test_support.h"

namespace phiguard::scan {
namespace {

using phiguard::testing::CompileInline;

rules::VoiceModel Model(std::initializer_list<std::pair<const char*, float>> weights, float bias,
                        float threshold = 0.5F) {
  rules::VoiceModel model;
  for (const auto& [feature, weight] : weights) model.Add(feature, weight);
  model.bias = bias;
  model.threshold = threshold;
  return model;
}

// The action a scan gives the finding of `rule`, or "none".
std::string ActionOf(Scanner& scanner, std::string_view text, std::string_view rule) {
  for (const auto& f : scanner.Scan(text).findings) {
    if (f.rule->id == rule) return std::string(rules::ToString(f.action));
  }
  return "none";
}

double Logit(double p) { return std::log(p / (1.0 - p)); }

// Words and word pairs as the trainer forms them (rules/tools/train_voice_model.py):
// lower-cased letters, an apostrophe inside a word, a run of digits as "0", pairs across
// punctuation.
TEST(VoiceScore, CountsWordsAndPairsAsTheTrainerDoes) {
  const auto model =
      Model({{"patient's", 1.0F}, {"0", 0.5F}, {"my mom", -2.0F}, {"mom", 0.25F}}, 0.0F);
  const VoiceScore score("My MOM, the patient's 2nd visit 2024", model);
  // patient's + 0 (from "2nd": digits then letters "nd") + 0 (2024) + "my mom" + "mom".
  EXPECT_NEAR(Logit(score.Probability(0, 1)), 1.0 + 0.5 + 0.5 - 2.0 + 0.25, 1e-6);
}

TEST(VoiceScore, ReadsOnlyTheWindowAroundAFinding) {
  const auto model = Model({{"congrats", -3.0F}}, 0.0F);
  const std::string far(kVoiceWindowBytes + 10, ' ');
  const std::string text = "congrats" + far + "Renata";
  const VoiceScore score(text, model);
  const auto renata = text.find("Renata");
  EXPECT_NEAR(score.Probability(renata, renata + 6), 0.5, 1e-9) << "congrats is out of reach";
  EXPECT_LT(score.Probability(0, 8), 0.1);
  EXPECT_EQ(score.StrongestAgainst(0, 8, 3), std::vector<std::string>{"congrats"});
}

// A name, a health term, an MRN and an age, with a model that reads "proud" and "our
// team" as no patient's.
std::shared_ptr<const CompiledRules> VoiceRules() {
  return CompileInline(R"({"pack":"test","version":"1.0.0","description":"d",
    "voice_model":{"bias":0,"threshold":0.2,"weights":{"proud":-3,"our team":-2,"pt":1}},
    "rules":[
    {"id":"t.name","title":"t","category":"name","kind":"phi","severity":"high",
     "action":"warn","linkage":"person","terms":["Renata"],"message":"m","examples":["Renata"]},
    {"id":"t.health","title":"t","category":"health","kind":"health","severity":"low",
     "action":"info","terms":["pneumonia"],"message":"m","examples":["pneumonia"]},
    {"id":"t.mrn","title":"t","category":"mrn","kind":"phi","severity":"critical",
     "action":"block","pattern":"MRN \\d{8}","message":"m","examples":["MRN 12345678"]},
    {"id":"t.patient","title":"t","category":"cue","kind":"cue","severity":"low",
     "action":"info","evidence":"patient_health","terms":["my patient"],"message":"m",
     "examples":["my patient"]},
    {"id":"t.age","title":"t","category":"age","kind":"phi","severity":"medium",
     "action":"warn","linkage":"person","pattern":"she's 9\\d","message":"m",
     "examples":["she's 94"]}]})");
}

// Linked findings whose surroundings read as not about a patient stay at info, with the
// words named for `rules explain`; direct identifiers are left alone, and an age over 89
// falls like a name ("so proud of our team" is a staff post, not a patient's).
TEST(VoiceScore, LinkageLowersLinkedFindingsInANoPatientVoice) {
  auto rules = VoiceRules();
  ASSERT_NE(rules, nullptr);
  ASSERT_NE(rules->voice_model(), nullptr);
  Scanner scanner(rules);
  scanner.NameLinkEvidence(true);
  const auto action = [&](std::string_view text, std::string_view rule) {
    return ActionOf(scanner, text, rule);
  };
  EXPECT_EQ(action("pt Renata, pneumonia", "t.name"), "warn");
  EXPECT_EQ(action("so proud of our team: Renata beat pneumonia", "t.name"), "info");
  EXPECT_EQ(action("so proud of our team: MRN 12345678 pneumonia", "t.mrn"), "block");
  EXPECT_EQ(action("so proud of our team: she's 94, pneumonia", "t.age"), "info");
  EXPECT_EQ(action("pt Renata, she's 94, pneumonia", "t.age"), "warn");
  const auto out = scanner.Scan("so proud of our team: Renata beat pneumonia");
  ASSERT_FALSE(out.findings.empty());
  std::string words;
  for (const auto& w : out.findings.front().context_words) words += w;
  EXPECT_NE(words.find("the post's words: 'proud', 'our team'"), std::string::npos) << words;
}

// A finding kept only by the identifier beside it falls when the model lowers that
// identifier: an age over 89 beside a name in the poster's own voice is a birthday post.
TEST(VoiceScore, AFindingKeptByAPairFallsWithItsPartner) {
  auto rules = VoiceRules();
  ASSERT_NE(rules, nullptr);
  Scanner scanner(rules);
  const auto action = [&](std::string_view text, std::string_view rule) {
    return ActionOf(scanner, text, rule);
  };
  EXPECT_EQ(action("Renata, she's 94", "t.age"), "warn");
  EXPECT_EQ(action("so proud of our team: Renata, she's 94", "t.name"), "info");
  EXPECT_EQ(action("so proud of our team: Renata, she's 94", "t.age"), "info");
  // With health evidence of its own the age is read by the model like the name beside it.
  EXPECT_EQ(action("so proud of our team: Renata, she's 94, pneumonia", "t.age"), "info");
  EXPECT_EQ(action("pt Renata, she's 94, pneumonia", "t.age"), "warn");
}

// "my patient Renata" says whose the name is, whatever the rest of the post sounds like;
// the cue must come right before the finding, in the same clause.
TEST(VoiceScore, APatientCueRightBeforeAFindingKeepsItFromTheModel) {
  auto rules = VoiceRules();
  ASSERT_NE(rules, nullptr);
  Scanner scanner(rules);
  const auto action = [&](std::string_view text) { return ActionOf(scanner, text, "t.name"); };
  EXPECT_EQ(action("so proud of our team and my patient Renata, pneumonia beaten"), "warn");
  EXPECT_EQ(action("so proud of our team and my patient: Renata, pneumonia beaten"), "warn");
  EXPECT_EQ(action("so proud of our team and my patient, Renata beat pneumonia"), "info");
  EXPECT_EQ(action("so proud of our team: Renata, my patient, beat pneumonia"), "info");
}

std::string Describe(const std::string& voice_model) {
  auto pack =
      rules::ParsePack(R"({"pack":"p","version":"1.0.0","description":"d",)"
                       R"("rules":[{"id":"t.h","title":"t","category":"health",)"
                       R"("kind":"health","severity":"low","action":"info",)"
                       R"("terms":["flu"],"message":"m","examples":["flu"]}],"voice_model":)" +
                           voice_model + "}",
                       "p.json");
  return pack.ok() ? "ok" : pack.error().Describe();
}

TEST(VoiceModelField, RefusesWhatTheScannerCouldNotUse) {
  EXPECT_EQ(Describe(R"({"bias":-1,"threshold":0.1,"weights":{"my mom":-1,"0":0.5}})"), "ok");
  EXPECT_NE(Describe(R"({"threshold":0.1,"weights":{"a":1}})").find("needs a 'bias'"),
            std::string::npos);
  EXPECT_NE(Describe(R"({"bias":0,"threshold":1,"weights":{"a":1}})").find("between 0 and 1"),
            std::string::npos);
  EXPECT_NE(Describe(R"({"bias":0,"threshold":0.1,"weights":{"My Mom":1}})")
                .find("not one or two lower-case words"),
            std::string::npos);
  EXPECT_NE(Describe(R"({"bias":0,"threshold":0.1,"weights":{"a b c":1}})")
                .find("not one or two lower-case words"),
            std::string::npos);
  EXPECT_NE(Describe(R"({"bias":0,"threshold":0.1,"weights":{"a":1e9}})").find("-100 to 100"),
            std::string::npos);
  EXPECT_NE(Describe(R"({"bias":0,"threshold":0.1,"weights":{}})").find("no weights"),
            std::string::npos);
  EXPECT_NE(Describe(R"({"bias":0,"threshold":0.1,"weights_file":"w.txt","weights":{"a":1}})")
                .find("exactly one"),
            std::string::npos);
  // A bundle's packs have no folder: the weights must be inline.
  EXPECT_NE(Describe(R"({"bias":0,"threshold":0.1,"weights_file":"w.txt"})").find("not allowed"),
            std::string::npos);
}

// A weights_file's numbers are read without the JSON parser when they are plain JSON
// numbers (pack_loader.cc ParseWeightText): every value equal, to the bit, to the same text
// read as JSON inline, and what is not a plain number still goes through the parser.
TEST(VoiceModelField, AWeightsFileReadsEachNumberAsJsonWould) {
  const std::vector<std::string> numbers = {
      "0",   "-0",     "1",   "-1",   "0.5", "-0.0", "1e-3",   "-1.275E+1",
      "3E0", "99.999", "100", "-100", "0.1", "1e2",  "2.5e-1", "0.30000000000000004"};
  const auto dir = std::filesystem::temp_directory_path() /
                   ("phiguard-voice-weights-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::string file = "# weights\n";
  std::string inline_weights;
  for (std::size_t i = 0; i < numbers.size(); ++i) {
    const std::string feature(i + 1, 'a');  // "a", "aa", ...
    file += feature + "\t" + numbers[i] + "\n";
    inline_weights += (i ? "," : "") + ("\"" + feature + "\":" + numbers[i]);
  }
  { std::ofstream(dir / "w.txt") << file; }
  const auto pack = [](const std::string& model) {
    return R"({"pack":"p","version":"1.0.0","description":"d","rules":[{"id":"t.h",)"
           R"("title":"t","category":"health","kind":"health","severity":"low",)"
           R"("action":"info","terms":["flu"],"message":"m","examples":["flu"]}],)"
           R"("voice_model":{"bias":0,"threshold":0.1,)" +
           model + "}}";
  };
  auto from_file = rules::ParsePack(pack(R"("weights_file":"w.txt")"), "p.json", dir);
  auto from_json = rules::ParsePack(pack(R"("weights":{)" + inline_weights + "}"), "p.json");
  ASSERT_TRUE(from_file.ok()) << from_file.error().Describe();
  ASSERT_TRUE(from_json.ok()) << from_json.error().Describe();
  for (std::size_t i = 0; i < numbers.size(); ++i) {
    const auto hash = rules::WordHash(std::string(i + 1, 'a'));
    const float* a = from_file.value().voice_model->Find(hash);
    const float* b = from_json.value().voice_model->Find(hash);
    ASSERT_TRUE(a && b) << numbers[i];
    EXPECT_EQ(std::memcmp(a, b, sizeof(float)), 0) << numbers[i] << ": " << *a << " " << *b;
  }
  // Not plain numbers: refused by the parser as before, or read by it (a leading space).
  for (const std::string bad : {"1e9", "0x10", "inf", "nan", ".5", "+1", "1.", "01", "\"1\""}) {
    { std::ofstream(dir / "w.txt") << "a\t" + bad + "\n"; }
    auto refused = rules::ParsePack(pack(R"("weights_file":"w.txt")"), "p.json", dir);
    EXPECT_FALSE(refused.ok()) << bad;
  }
  { std::ofstream(dir / "w.txt") << "a\t 0.25\n"; }
  auto spaced = rules::ParsePack(pack(R"("weights_file":"w.txt")"), "p.json", dir);
  ASSERT_TRUE(spaced.ok()) << spaced.error().Describe();
  EXPECT_EQ(*spaced.value().voice_model->Find(rules::WordHash("a")), 0.25F);
  std::filesystem::remove_all(dir);
}

TEST(VoiceModelField, OnlyOnePackOfASetMayCarryOne) {
  const auto pack = [](const char* id) {
    return std::string(R"({"pack":")") + id +
           R"(","version":"1.0.0","description":"d","rules":[{"id":"t.)" + id +
           R"(","title":"t","category":"health","kind":"health","severity":"low",)"
           R"("action":"info","terms":["flu"],"message":"m","examples":["flu"]}],)"
           R"("voice_model":{"bias":0,"threshold":0.1,"weights":{"a":1}}})";
  };
  std::vector<rules::Pack> packs;
  for (const char* id : {"a", "b"}) packs.push_back(rules::ParsePack(pack(id), id).value());
  const auto built = CompiledRules::Build(std::move(packs), {});
  ASSERT_FALSE(built.ok());
  EXPECT_NE(built.error().reason.find("only one pack may carry a 'voice_model'"),
            std::string::npos);
}

}  // namespace
}  // namespace phiguard::scan
