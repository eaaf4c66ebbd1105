#include "engine/rule_manager.h"

#include <gtest/gtest.h>

#include "rules/pack_loader.h"
#include "test_support.h"

namespace phiguard::engine {
namespace {

using phiguard::testing::RuleJson;

rules::Pack MakePack(const std::string& id, const std::string& rules_array) {
  auto pack = rules::ParsePack(
      R"({"pack":")" + id + R"(","version":"1","description":"d","rules":)" + rules_array + "}",
      id + ".json");
  EXPECT_TRUE(pack.ok()) << pack.error().Describe();
  return pack.value();
}

RuleManager MakeManager() {
  RuleInputs inputs;
  inputs.builtin.push_back(MakePack(
      "builtin", "[" +
                     RuleJson("b.ssn", R"("pattern":"\\b\\d{3}-\\d{2}-\\d{4}\\b","examples":["1"])",
                              "ssn", "block") +
                     "]"));
  return RuleManager(std::move(inputs),
                     {.use_cache = false, .cache_dir = {}, .version_suffix = {}});
}

TEST(RuleManager, BundleIsAddedAndNamedInTheVersion) {
  auto manager = MakeManager();
  ASSERT_TRUE(manager.BuildInitial().ok());
  EXPECT_EQ(manager.TakePending(), nullptr);
  auto accepted = manager.ReplaceBundle(
      {MakePack(
          "extra",
          "[" +
              RuleJson(
                  "x.mrn",
                  R"("pattern":"MRN \\d{8}","examples":["MRN 12345678"],"negatives":["MRN 1234"])") +
              "]")},
      "2026.11.22");
  ASSERT_TRUE(accepted.ok()) << accepted.error().Describe();
  EXPECT_EQ(accepted.value()->version(), "builtin@1+extra@1+bundle@2026.11.22");
  EXPECT_EQ(manager.TakePending(), accepted.value());
  EXPECT_EQ(manager.TakePending(), nullptr);  // handed out once
  EXPECT_EQ(manager.bundle_version(), "2026.11.22");
}

TEST(RuleManager, BundlePackWithABuiltInPackIdReplacesIt) {
  auto manager = MakeManager();
  ASSERT_TRUE(manager.BuildInitial().ok());
  auto pack = MakePack("builtin",
                       "[" +
                           RuleJson("b.ssn", R"("pattern":"\\b\\d{9}\\b","examples":["219447816"])",
                                    "ssn", "block") +
                           "]");
  pack.version = "2";
  auto accepted = manager.ReplaceBundle({pack}, "5");
  ASSERT_TRUE(accepted.ok()) << accepted.error().Describe();
  EXPECT_EQ(accepted.value()->version(), "builtin@2+bundle@5");
  EXPECT_EQ(accepted.value()->rule_count(), 1u);
}

TEST(RuleManager, OrganisationCannotRedefineABuiltInRule) {
  auto manager = MakeManager();
  ASSERT_TRUE(manager.BuildInitial().ok());
  // Same id, looser action: must be refused, not merged.
  auto refused = manager.ReplaceOrganisation({MakePack(
      "organisation",
      "[" + RuleJson("b.ssn", R"("pattern":"\\d{9}","examples":["123456789"])", "ssn", "info") +
          "]")});
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().reason.find("also defined"), std::string::npos);
  EXPECT_EQ(manager.TakePending(), nullptr);  // the last good set stays
}

TEST(RuleManager, PackWhoseOwnExampleFailsIsRejectedWhole) {
  auto manager = MakeManager();
  ASSERT_TRUE(manager.BuildInitial().ok());
  auto refused = manager.ReplaceBundle(
      {MakePack("broken", "[" + RuleJson("x.a", R"("pattern":"abc","examples":["xyz"])") + "]")},
      "2");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().where, "broken.json: x.a");
  EXPECT_NE(refused.error().reason.find("example 1"), std::string::npos);
  EXPECT_EQ(manager.bundle_version(), "");
  EXPECT_EQ(manager.TakePending(), nullptr);
}

TEST(RuleManager, PatternThatDoesNotCompileIsRejectedWithItsRule) {
  auto manager = MakeManager();
  ASSERT_TRUE(manager.BuildInitial().ok());
  auto refused = manager.ReplaceBundle(
      {MakePack("bad", "[" + RuleJson("x.bad", R"("pattern":"(abc","examples":["abc"])") + "]")},
      "3");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().where, "bad.json: x.bad");
}

}  // namespace
}  // namespace phiguard::engine
