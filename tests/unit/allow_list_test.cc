#include "scan/allow_list.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "engine/engine.h"
#include "scan/patient_voice.h"
#include "scan_compare.h"
#include "test_support.h"

namespace phiguard::scan {
namespace {

rules::Rule RuleOf(std::string category, rules::Kind kind = rules::Kind::kPhi) {
  rules::Rule rule;
  rule.id = "t." + category;
  rule.category = std::move(category);
  rule.kind = kind;
  return rule;
}

struct MatchRow {
  std::string name;
  std::string category;
  std::string matched;  // a finding's text
  bool allowed;
};

class AllowListMatch : public ::testing::TestWithParam<MatchRow> {};

TEST_P(AllowListMatch, ComparesWholeFindingsAfterFolding) {
  const AllowList list({"Jordan Rivera", "(555) 555-2000", "100 Main Street", "  Ana   María  "});
  const auto& row = GetParam();
  EXPECT_EQ(list.Allows(RuleOf(row.category), row.matched), row.allowed) << row.matched;
}

INSTANTIATE_TEST_SUITE_P(
    Rows, AllowListMatch,
    ::testing::Values(
        MatchRow{"same_name", "name", "Jordan Rivera", true},
        MatchRow{"case_and_spaces", "name", "JORDAN \n rivera", true},
        MatchRow{"accents_folded_as_the_scanner_does", "name", "Ana Maria", true},
        MatchRow{"part_of_a_name_is_not_the_name", "name", "Jordan", false},
        MatchRow{"a_longer_name_is_not_the_name", "name", "Jordan Rivera Smith", false},
        MatchRow{"another_name", "name", "Maria Lopez", false},
        MatchRow{"phone_written_otherwise", "phone", "555-555-2000", true},
        MatchRow{"phone_with_dots", "phone", "555.555.2000", true},
        MatchRow{"phone_with_country_code", "phone", "+1 555 555 2000", true},
        MatchRow{"local_form_of_the_number", "phone", "555-2000", true},
        MatchRow{"another_phone", "phone", "555-555-2001", false},
        MatchRow{"same_local_number_elsewhere_in_full", "phone", "412-555-2000", false},
        MatchRow{"address_is_text_not_digits", "geo", "100 Main Street", true},
        MatchRow{"address_digits_alone_do_not_match", "geo", "100 Oak Avenue", false},
        MatchRow{"never_a_record_number", "mrn", "5555552000", false},
        MatchRow{"never_an_ssn", "ssn", "555555200", false}),
    phiguard::testing::RowName());

TEST(AllowList, OnlyIdentifiersAreEverAllowed) {
  const AllowList list({"diabetes", "Project Falcon"});
  EXPECT_FALSE(list.Allows(RuleOf("health", rules::Kind::kHealth), "diabetes"));
  EXPECT_FALSE(list.Allows(RuleOf("confidential", rules::Kind::kPolicy), "Project Falcon"));
  EXPECT_TRUE(list.Allows(RuleOf("name"), "project falcon"));
}

TEST(AllowList, BlankEntriesAllowNothing) {
  const AllowList list({"", "   ", "--"});
  EXPECT_TRUE(list.empty());
  EXPECT_FALSE(list.Allows(RuleOf("name"), ""));
}

// Through the engine with the shipped packs, as the host scans.
class AllowListEngine : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { rules_ = phiguard::testing::BuiltinRules(); }
  static std::shared_ptr<const CompiledRules> rules_;

  static std::vector<std::string> Categories(const engine::ScanReport& report) {
    std::vector<std::string> categories;
    for (const auto& f : report.findings) categories.push_back(f.rule->category);
    return categories;
  }
  static bool Has(const engine::ScanReport& report, std::string_view category) {
    const auto all = Categories(report);
    return std::find(all.begin(), all.end(), category) != all.end();
  }
  static std::shared_ptr<const AllowList> OrganisationList() {
    return std::make_shared<const AllowList>(
        std::vector<std::string>{"Jordan Rivera", "(555) 555-2000"});
  }
};
std::shared_ptr<const CompiledRules> AllowListEngine::rules_;

TEST_F(AllowListEngine, AnAllowedNameNoLongerLinksAHealthWord) {
  ASSERT_TRUE(rules_);
  engine::Engine engine(rules_);
  const std::string text = "My patient Jordan Rivera was admitted with sepsis last night";
  const auto before = engine.Scan(text);
  ASSERT_TRUE(Has(before, "name"));
  ASSERT_NE(before.verdict, policy::Verdict::kAllow);

  engine.SetAllowList(OrganisationList());
  const auto after = engine.Scan(text);
  EXPECT_FALSE(Has(after, "name"));
  // The story itself still reads as a patient's ("my patient ... admitted with sepsis"), and
  // the post-voice model says so on its own words (scan/patient_voice.h); the allow list
  // speaks for names and numbers, not for what the post tells.
  for (const auto& f : after.findings) {
    if (f.rule == &scan::PatientVoiceRule()) {
      const auto name = text.find("Jordan Rivera");
      EXPECT_TRUE(f.original.byte_end <= name || f.original.byte_start >= name + 13)
          << "never on the allowed name";
      continue;
    }
    EXPECT_EQ(f.action, rules::Action::kInfo) << f.rule->id << " stayed linked";
  }
  EXPECT_NE(after.verdict, policy::Verdict::kBlock);
}

TEST_F(AllowListEngine, AnAllowedPhoneWrittenDifferentlyIsDropped) {
  ASSERT_TRUE(rules_);
  engine::Engine engine(rules_);
  engine.SetAllowList(OrganisationList());
  const auto report = engine.Scan("My patient with diabetes, call 555.555.2000 or (555)555-2000");
  EXPECT_FALSE(Has(report, "phone"));
  EXPECT_EQ(report.verdict, policy::Verdict::kAllow);
}

TEST_F(AllowListEngine, NamesNotOnTheListAreStillFound) {
  ASSERT_TRUE(rules_);
  engine::Engine engine(rules_);
  engine.SetAllowList(OrganisationList());
  const auto report = engine.Scan(
      "My patient Ottoline Barnsworth was admitted with sepsis; call Jordan Rivera at "
      "412-687-2000");
  EXPECT_TRUE(Has(report, "name"));
  EXPECT_TRUE(Has(report, "phone")) << "another number is still a number";
  EXPECT_NE(report.verdict, policy::Verdict::kAllow);
  for (const auto& f : report.findings) {
    if (f.rule->category == "name") {
      EXPECT_NE(f.original.byte_start, 62u) << "Jordan Rivera";
    }
  }
}

TEST_F(AllowListEngine, ANewListReplacesFindingsKeptForEditRescans) {
  ASSERT_TRUE(rules_);
  engine::Engine engine(rules_);
  // The name far from the end, where the next text differs: an edit rescan would take its
  // finding from the text kept, not scan it again.
  std::string text = "My patient Jordan Rivera was admitted with sepsis last night. ";
  while (text.size() < 4 * scan::EditRescanner::kMinTextBytes) {
    text += "An ordinary line about the weather and the weekend. ";
  }
  ASSERT_TRUE(Has(engine.Scan(text), "name"));
  engine.SetAllowList(OrganisationList());
  EXPECT_FALSE(Has(engine.Scan(text + "More."), "name"));
  engine.SetAllowList(nullptr);
  EXPECT_TRUE(Has(engine.Scan(text), "name"));
}

}  // namespace
}  // namespace phiguard::scan
