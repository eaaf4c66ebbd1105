// The rule fields the linkage stage reads: `linkage`, `evidence`, `context.drop_before`
// and `context.drop_after` (rules/README.md "Linkage").

#include <gtest/gtest.h>

#include "rules/pack_loader.h"
#include "scan/context_scorer.h"
#include "test_support.h"

namespace phiguard::rules {
namespace {

using phiguard::testing::PackJson;

std::string Rule(const std::string& kind, const std::string& category, const std::string& extra) {
  return PackJson(R"([{"id":"t.r","title":"t","category":")" + category + R"(","kind":")" + kind +
                  R"(","severity":"low","action":"info","terms":["x"],"message":"m",)"
                  R"("examples":["x"])" +
                  (extra.empty() ? "" : "," + extra) + "}]");
}

TEST(LinkageFields, ParseOrNameTheProblem) {
  const struct {
    const char* name;
    std::string json;
    const char* error;  // empty: parses
    Linkage linkage;
    Evidence evidence;
  } rows[] = {
      {"phi default", Rule("phi", "name", ""), "", Linkage::kNone, Evidence::kPatient},
      {"phi person", Rule("phi", "name", R"("linkage":"person")"), "", Linkage::kPerson,
       Evidence::kPatient},
      {"phi patient_health", Rule("phi", "date", R"("linkage":"patient_health")"), "",
       Linkage::kPatientHealth, Evidence::kPatient},
      {"cue default is patient evidence", Rule("cue", "cue", ""), "", Linkage::kNone,
       Evidence::kPatient},
      {"cue health", Rule("cue", "cue", R"("evidence":"health")"), "", Linkage::kNone,
       Evidence::kHealth},
      {"cue staff", Rule("cue", "cue", R"("evidence":"staff")"), "", Linkage::kNone,
       Evidence::kStaff},
      // Packs from before "evidence" spelled care cues this way.
      {"legacy cue linkage", Rule("cue", "cue", R"("linkage":"patient_health")"), "",
       Linkage::kNone, Evidence::kPatientHealth},
      // Errors
      {"unknown linkage", Rule("phi", "name", R"("linkage":"always")"), "'linkage' must be one of",
       Linkage::kNone, Evidence::kPatient},
      {"linkage on health", Rule("health", "health", R"("linkage":"person")"),
       "only for rules of kind 'phi'", Linkage::kNone, Evidence::kPatient},
      {"evidence on phi", Rule("phi", "name", R"("evidence":"health")"),
       "only for rules of kind 'cue'", Linkage::kNone, Evidence::kPatient},
      {"unknown evidence", Rule("cue", "cue", R"("evidence":"doctor")"),
       "'evidence' must be one of", Linkage::kNone, Evidence::kPatient},
      {"yields on a patient cue", Rule("cue", "cue", R"("yields_to_patient":true)"),
       "only for cue rules with evidence 'staff' or 'not_patient'", Linkage::kNone,
       Evidence::kPatient},
      {"yields on a phi rule", Rule("phi", "name", R"("yields_to_patient":true)"),
       "only for cue rules with evidence 'staff' or 'not_patient'", Linkage::kNone,
       Evidence::kPatient},
      {"post_wide on a staff cue", Rule("cue", "cue", R"("evidence":"staff","post_wide":true)"),
       "only for cue rules with evidence 'not_patient'", Linkage::kNone, Evidence::kStaff},
      {"pairs_like_name on a name rule", Rule("phi", "name", R"("pairs_like_name":true)"),
       "only for phi rules of category 'patient_detail'", Linkage::kNone, Evidence::kPatient},
      {"pairs_like_name on a cue", Rule("cue", "cue", R"("pairs_like_name":true)"),
       "only for phi rules of category 'patient_detail'", Linkage::kNone, Evidence::kPatient},
      {"pairs_like_name not a boolean", Rule("phi", "patient_detail", R"("pairs_like_name":1)"),
       "must be true or false", Linkage::kNone, Evidence::kPatient},
      {"yields_outside_own_words on a cue that does not yield",
       Rule("cue", "cue",
            R"("evidence":"not_patient","post_wide":true,"yields_outside_own_words":true)"),
       "only for post_wide cue rules that yield", Linkage::kNone, Evidence::kNotPatient},
      {"yields_outside_own_words on a clause cue",
       Rule("cue", "cue",
            R"("evidence":"not_patient","yields_to_patient":true,"yields_outside_own_words":true)"),
       "only for post_wide cue rules that yield", Linkage::kNone, Evidence::kNotPatient},
      {"locates_only on a health cue",
       Rule("cue", "cue", R"("evidence":"health","locates_only":true)"),
       "only for cue rules with evidence 'patient_health'", Linkage::kNone, Evidence::kHealth},
      {"locates_only on a phi rule", Rule("phi", "patient_detail", R"("locates_only":true)"),
       "only for cue rules with evidence 'patient_health'", Linkage::kNone, Evidence::kPatient},
      {"locates_only not a boolean",
       Rule("cue", "cue", R"("evidence":"patient_health","locates_only":"yes")"),
       "must be true or false", Linkage::kNone, Evidence::kPatientHealth},
      {"yields not a boolean",
       Rule("cue", "cue", R"("evidence":"staff","yields_to_patient":"yes")"),
       "must be true or false", Linkage::kNone, Evidence::kPatient},
  };
  for (const auto& row : rows) {
    const auto pack = ParsePack(row.json, "inline.json");
    if (*row.error != '\0') {
      ASSERT_FALSE(pack.ok()) << row.name;
      EXPECT_NE(pack.error().reason.find(row.error), std::string::npos)
          << row.name << ": " << pack.error().Describe();
      continue;
    }
    ASSERT_TRUE(pack.ok()) << row.name << ": " << pack.error().Describe();
    EXPECT_EQ(pack.value().rules[0].linkage, row.linkage) << row.name;
    EXPECT_EQ(pack.value().rules[0].evidence, row.evidence) << row.name;
  }
  const auto yields =
      ParsePack(Rule("cue", "cue", R"("evidence":"not_patient","yields_to_patient":true)"), "i");
  ASSERT_TRUE(yields.ok()) << yields.error().Describe();
  EXPECT_TRUE(yields.value().rules[0].yields_to_patient);
  const auto own_words = ParsePack(
      Rule(
          "cue", "cue",
          R"("evidence":"not_patient","post_wide":true,"yields_to_patient":true,"yields_outside_own_words":true)"),
      "i");
  ASSERT_TRUE(own_words.ok()) << own_words.error().Describe();
  EXPECT_TRUE(own_words.value().rules[0].yields_outside_own_words);
  const auto pairs = ParsePack(Rule("phi", "patient_detail", R"("pairs_like_name":true)"), "i");
  ASSERT_TRUE(pairs.ok()) << pairs.error().Describe();
  EXPECT_TRUE(pairs.value().rules[0].pairs_like_name);
  const auto locates =
      ParsePack(Rule("cue", "cue", R"("evidence":"patient_health","locates_only":true)"), "i");
  ASSERT_TRUE(locates.ok()) << locates.error().Describe();
  EXPECT_TRUE(locates.value().rules[0].locates_only);
}

TEST(LinkageFields, AdjacentWordsDropCandidates) {
  ContextSpec spec;
  spec.drop_before = {"port", "st."};
  spec.drop_after = {"memorial", "general"};
  const struct {
    std::string text;
    std::string candidate;
    bool dropped;
  } rows[] = {
      {"three weeks at Port Ellery now", "Ellery", true},
      {"St. Brigid's", "Brigid", true},
      {"the Ashby Memorial gala", "Ashby", true},
      {"at Ashby Memorial.", "Ashby", true},       // sentence end
      {"(Ashby General)", "Ashby", true},          // punctuation around the neighbour
      {"Ellery, Port of call", "Ellery", false},   // the listed word is not adjacent
      {"Ashby memorialised her", "Ashby", false},  // whole words only
      {"report Ellery now", "Ellery", false},      // "report" is not "port"
      {"Ellery", "Ellery", false},                 // nothing around it
  };
  for (const auto& row : rows) {
    const auto start = row.text.find(row.candidate);
    ASSERT_NE(start, std::string::npos) << row.text;
    EXPECT_EQ(scan::AdjacentWordDrops(row.text, start, start + row.candidate.size(), spec),
              row.dropped)
        << row.text;
  }
}

}  // namespace
}  // namespace phiguard::rules
