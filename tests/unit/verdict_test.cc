#include "policy/verdict.h"

#include <gtest/gtest.h>

#include "scan/scanner.h"
#include "test_support.h"

namespace phiguard::policy {
namespace {

// A linked name, a linked date, a direct identifier and the health evidence they need.
std::shared_ptr<const scan::CompiledRules> Rules() {
  return phiguard::testing::CompileInline(phiguard::testing::PackJson(R"j([
    {"id":"t.name","title":"t","category":"name","kind":"phi","severity":"high","action":"warn",
     "linkage":"person","terms":["Renata"],"message":"m","examples":["Renata"]},
    {"id":"t.name2","title":"t","category":"name","kind":"phi","severity":"high","action":"warn",
     "linkage":"person","terms":["Okafor"],"message":"m","examples":["Okafor"]},
    {"id":"t.date","title":"t","category":"date","kind":"phi","severity":"medium",
     "action":"warn","linkage":"patient_health","pattern":"\\d{1,2}/\\d{1,2}/\\d{4}",
     "message":"m","examples":["3/14/1950"]},
    {"id":"t.health","title":"t","category":"health","kind":"health","severity":"low",
     "action":"info","terms":["pneumonia"],"message":"m","examples":["pneumonia"]}])j"));
}

struct Outcome {
  Verdict verdict;
  std::vector<std::string> actions;  // per finding of kind phi, in text order
};

Outcome DecideOn(std::string_view text, const PolicyOverrides& overrides = {}) {
  scan::Scanner scanner(Rules());
  auto findings = scanner.Scan(text).findings;
  Outcome outcome{Decide(findings, overrides), {}};
  for (const auto& f : findings) {
    if (f.rule->kind == rules::Kind::kPhi) outcome.actions.emplace_back(rules::ToString(f.action));
  }
  return outcome;
}

TEST(CombinationSeverity, TwoCategoriesOfLinkedIdentifiersBlock) {
  const auto one = DecideOn("Renata has pneumonia");
  EXPECT_EQ(one.verdict, Verdict::kWarn);

  const auto two = DecideOn("Renata, born 3/14/1950, has pneumonia");
  EXPECT_EQ(two.verdict, Verdict::kBlock);
  EXPECT_EQ(two.actions, (std::vector<std::string>{"block", "block"}));
}

TEST(CombinationSeverity, TwoOfOneCategoryOrFarApartOrUnlinkedStayWarnings) {
  // Two names are not two identifiers of one patient.
  EXPECT_EQ(DecideOn("Renata and Okafor have pneumonia").verdict, Verdict::kWarn);
  // Further apart than two sentences: not taken as one patient's.
  const std::string far = "Renata has pneumonia." + std::string(300, ' ') + "pneumonia 3/14/1950";
  EXPECT_EQ(DecideOn(far).verdict, Verdict::kWarn);
  // Without health information nothing is linked, so nothing combines: an event's date
  // beside a name is no pair.
  EXPECT_EQ(DecideOn("Renata, party 3/14/1950").verdict, Verdict::kAllow);
  // A date of birth is one person's, so it pairs with the name (linkage.cc IsBirthDate)
  // though nothing here is about health, and two identifiers of one person combine.
  EXPECT_EQ(DecideOn("Renata, born 3/14/1950").verdict, Verdict::kBlock);
}

TEST(CombinationSeverity, SaysWhyInTheContextWords) {
  scan::Scanner scanner(Rules());
  auto findings = scanner.Scan("Renata, born 3/14/1950, has pneumonia").findings;
  Decide(findings, {});
  for (const auto& f : findings) {
    if (f.rule->kind != rules::Kind::kPhi) continue;
    ASSERT_FALSE(f.context_words.empty());
    EXPECT_EQ(f.context_words.back(), "+combined: with another identifier of the patient");
  }
}

PolicyOverrides Audited(std::initializer_list<std::string> categories) {
  PolicyOverrides overrides;
  overrides.audited.insert(categories.begin(), categories.end());
  return overrides;
}

// The reported bug: a name in audit mode still raised a warn dialog.
TEST(AuditMode, AnAuditedCategoryAloneAllows) {
  EXPECT_EQ(DecideOn("Renata has pneumonia").verdict, Verdict::kWarn);
  const auto audited = DecideOn("Renata has pneumonia", Audited({"name"}));
  EXPECT_EQ(audited.verdict, Verdict::kAllow);
  // The finding stays, with its rule's action, for the record of what would have happened.
  EXPECT_EQ(audited.actions, (std::vector<std::string>{"warn"}));
}

TEST(AuditMode, FindingsAreMarkedAndOthersStillCount) {
  scan::Scanner scanner(Rules());
  auto findings = scanner.Scan("Renata, born 3/14/1950, has pneumonia").findings;
  EXPECT_EQ(Decide(findings, Audited({"name"})), Verdict::kWarn);
  for (const auto& f : findings) {
    EXPECT_EQ(f.audited, f.rule->category == "name") << f.rule->id;
  }
}

// An audited name does not combine with a date into a block: it counts for nothing but
// the record.
TEST(AuditMode, AuditedFindingsDoNotCombine) {
  const auto outcome = DecideOn("Renata, born 3/14/1950, has pneumonia", Audited({"name"}));
  EXPECT_EQ(outcome.verdict, Verdict::kWarn);
  EXPECT_EQ(outcome.actions, (std::vector<std::string>{"warn", "warn"}));
}

TEST(AuditMode, AMinimumActionDoesNotApplyToAnAuditedCategory) {
  auto overrides = Audited({"date"});
  overrides.minimum_action["name"] = rules::Action::kBlock;
  const auto outcome = DecideOn("Renata, born 3/14/1950, has pneumonia", overrides);
  EXPECT_EQ(outcome.verdict, Verdict::kBlock);
  EXPECT_EQ(outcome.actions, (std::vector<std::string>{"block", "warn"}));
}

}  // namespace
}  // namespace phiguard::policy
