#include "engine/rule_manager.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <future>
#include <set>
#include <thread>

#include "cache/file_database_store.h"
#include "engine/engine.h"
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
  return RuleManager(std::move(inputs), {});
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

// Former bug: ReplaceBundle held the manager's lock for the whole compile (1.4 s for a
// normal bundle, a minute for a slow one), and the main thread waits on that lock between
// every two requests. The compile is held open here with a latch, so the order is certain:
// the requests' side must finish while the compile is known to be in progress.
TEST(RuleManager, RequestsAreServedWhileABundleCompiles) {
  std::promise<void> compiling;
  std::promise<void> served;
  const auto served_future = served.get_future().share();
  std::atomic<bool> hold_next_build{false};
  scan::BuildOptions options{};
  options.on_build_start = [&] {
    if (!hold_next_build.exchange(false)) return;
    compiling.set_value();
    // Generous: only reached when the requests' side is stuck, and then the test fails.
    served_future.wait_for(std::chrono::seconds(60));
  };
  RuleInputs inputs;
  inputs.builtin.push_back(MakePack(
      "builtin",
      "[" +
          RuleJson("b.ssn", R"("pattern":"\\b\\d{3}-\\d{2}-\\d{4}\\b","examples":["219-44-7816"])",
                   "ssn", "block") +
          "]"));
  RuleManager manager(std::move(inputs), options);
  auto initial = manager.BuildInitial();
  ASSERT_TRUE(initial.ok()) << initial.error().Describe();
  Engine engine(initial.value());

  hold_next_build = true;
  util::Result<std::shared_ptr<const scan::CompiledRules>> replaced = util::Error{};
  std::thread updater([&] {
    replaced = manager.ReplaceBundle(
        {MakePack("extra",
                  "[" + RuleJson("x.mrn", R"("pattern":"MRN \\d{8}","examples":["MRN 12345678"])") +
                      "]")},
        "2026.11.22");
  });
  compiling.get_future().wait();
  // What the main thread does between two requests, then a request; on another thread so
  // that a lock held over the compile fails the test instead of hanging it.
  auto requests = std::async(std::launch::async, [&] {
    EXPECT_EQ(manager.TakePending(), nullptr);
    EXPECT_EQ(manager.bundle_version(), "");
    return engine.Scan("SSN 219-44-7816").findings.size();
  });
  const bool done_during_compile =
      requests.wait_for(std::chrono::seconds(30)) == std::future_status::ready;
  served.set_value();
  updater.join();
  EXPECT_TRUE(done_during_compile) << "requests waited for the bundle to compile";
  EXPECT_EQ(requests.get(), 1u);
  ASSERT_TRUE(replaced.ok()) << replaced.error().Describe();
  EXPECT_EQ(manager.TakePending(), replaced.value());
  EXPECT_EQ(manager.bundle_version(), "2026.11.22");
}

// A source replaced while another compiled is not lost: the slower one composes again.
TEST(RuleManager, AReplacementDuringACompileIsKept) {
  std::atomic<bool> replace_organisation{false};
  RuleManager* self = nullptr;
  scan::BuildOptions options{};
  options.on_build_start = [&] {
    if (!replace_organisation.exchange(false)) return;
    auto org = self->ReplaceOrganisation(
        {MakePack("org", "[" +
                             RuleJson("o.falcon",
                                      R"("terms":["Project Falcon"],"examples":["Project Falcon"])",
                                      "confidential") +
                             "]")});
    EXPECT_TRUE(org.ok()) << org.error().Describe();
  };
  RuleInputs inputs;
  inputs.builtin.push_back(MakePack(
      "builtin",
      "[" +
          RuleJson("b.ssn", R"("pattern":"\\b\\d{3}-\\d{2}-\\d{4}\\b","examples":["219-44-7816"])",
                   "ssn", "block") +
          "]"));
  RuleManager manager(std::move(inputs), options);
  self = &manager;
  ASSERT_TRUE(manager.BuildInitial().ok());
  replace_organisation = true;
  auto bundle = manager.ReplaceBundle(
      {MakePack(
          "extra",
          "[" + RuleJson("x.mrn", R"("pattern":"MRN \\d{8}","examples":["MRN 12345678"])") + "]")},
      "3.0");
  ASSERT_TRUE(bundle.ok()) << bundle.error().Describe();
  EXPECT_EQ(bundle.value()->version(), "builtin@1+extra@1+org@1+bundle@3.0");
}

// Host start prunes the compiled-rules cache (scan::DatabaseStore::Prune) after building the set in
// force, so that set is kept and sets from past bundles go.
TEST(RuleManager, StartKeepsTheSetInForceAndPrunesOldSetsFromTheCache) {
  namespace fs = std::filesystem;
  const auto dir =
      fs::temp_directory_path() / ("phiguard-rule-manager-prune-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  const auto old = fs::file_time_type::clock::now() - std::chrono::hours(24);
  for (int i = 0; i < 5; ++i) {
    const auto path = dir / ("rules-past" + std::to_string(i) + ".hsdb");
    std::ofstream(path) << "x";
    fs::last_write_time(path, old - std::chrono::hours(i));
  }
  RuleInputs inputs;
  inputs.builtin.push_back(
      MakePack("builtin", "[" + RuleJson("b.mrn", R"("pattern":"MRN \\d{8}")") + "]"));
  RuleManager manager(std::move(inputs),
                      {.cache = std::make_shared<cache::FileDatabaseStore>(dir)});
  ASSERT_TRUE(manager.BuildInitial().ok());
  std::set<std::string> left;
  for (const auto& entry : fs::directory_iterator(dir)) left.insert(entry.path().filename());
  EXPECT_EQ(left.size(), cache::kCachedSetsKept);
  EXPECT_TRUE(left.contains("rules-past0.hsdb"));
  EXPECT_TRUE(left.contains("rules-past1.hsdb"));
  EXPECT_FALSE(left.contains("rules-past2.hsdb"));  // the set in force took its place
  fs::remove_all(dir);
}

}  // namespace
}  // namespace phiguard::engine
