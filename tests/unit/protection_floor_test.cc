#include "engine/protection_floor.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <nlohmann/json.hpp>

#include "engine/rule_manager.h"
#include "rules/pack_loader.h"
#include "scan/scanner.h"
#include "shared_cache.h"
#include "util/paths.h"

namespace phiguard::engine {
namespace {

std::vector<rules::Pack> ShippedPacks() {
  auto packs = rules::LoadPackDirectory(util::BuiltinRulesDir());
  EXPECT_TRUE(packs.ok()) << packs.error().Describe();
  return packs.ok() ? std::move(packs).value() : std::vector<rules::Pack>{};
}

// The shipped packs the floor rules live in (SSN, MRN, health plan, names linked to health)
// and the patient cues the texts below need. The tests of how the floor and the
// only-add check work use these alone: every candidate set recompiles whole, and the
// shipped set takes five times as long (over 20 s per set under ASan).
std::vector<rules::Pack> FloorPacks() {
  auto packs = ShippedPacks();
  std::erase_if(packs, [](const rules::Pack& p) {
    return p.id != "phi-identifiers" && p.id != "health-terms" && p.id != "phi-people" &&
           p.id != "patient-cues";
  });
  EXPECT_EQ(packs.size(), 4U);
  return packs;
}

rules::Pack Pack(const std::string& id, const nlohmann::json& rules_array) {
  const nlohmann::json doc = {
      {"pack", id}, {"version", "99"}, {"description", "test"}, {"rules", rules_array}};
  auto pack = rules::ParsePack(doc.dump(), id + ".json");
  EXPECT_TRUE(pack.ok()) << pack.error().Describe();
  return pack.value();
}

nlohmann::json TermRule(const std::string& id, const std::string& category,
                        const std::vector<std::string>& terms, const std::string& example) {
  return {{"id", id},       {"title", "t"},      {"category", category},
          {"kind", "phi"},  {"severity", "low"}, {"action", "warn"},
          {"terms", terms}, {"message", "m"},    {"examples", {example}}};
}

// An organisation cue on words every post has.
nlohmann::json CommonWordsCue(const std::string& evidence) {
  return {{"id", "org.everyday-" + evidence},
          {"title", "t"},
          {"category", "cue"},
          {"kind", "cue"},
          {"severity", "low"},
          {"action", "info"},
          {"evidence", evidence},
          {"terms", {"the", "was", "with", "and", "her", "his", "called", "on", "at", "to"}},
          {"caseless", true},
          {"message", "m"},
          {"examples", {"the"}}};
}

// The bundles here compile the floor packs again in a child under the outside-pack limits,
// about 46 s under ASan on a loaded 2-core machine, near the shipped one-minute limit.
// These tests are about the floor, not the time limit (compile_limits_test covers that).
constexpr scan::CompileLimits kWideLimits{.time = std::chrono::minutes(10)};

RuleManager FloorManager(bool allow_below_floor = false,
                         std::vector<rules::Pack> builtin = FloorPacks()) {
  RuleInputs inputs;
  inputs.builtin = std::move(builtin);
  inputs.allow_below_floor = allow_below_floor;
  return RuleManager(std::move(inputs), scan::BuildOptions{.cache = testing::SharedTestCache()},
                     kWideLimits);
}

TEST(ProtectionFloor, EveryFloorRuleShipsAndItsProbeHolds) {
  const auto packs = ShippedPacks();
  for (const auto& floor : ProtectionFloor()) {
    const bool shipped = std::any_of(packs.begin(), packs.end(), [&](const rules::Pack& p) {
      return std::any_of(p.rules.begin(), p.rules.end(),
                         [&](const rules::Rule& r) { return r.id == floor.rule_id; });
    });
    EXPECT_TRUE(shipped) << floor.rule_id << " is in the floor but not in rules/packs";
  }
  auto manager = FloorManager(/*allow_below_floor=*/false, packs);
  auto built = manager.BuildInitial();
  ASSERT_TRUE(built.ok()) << built.error().Describe();
  const auto below = CheckProtectionFloor(packs, built.value());
  EXPECT_FALSE(below.has_value()) << below->Describe();
}

TEST(ProtectionFloor, BundleThatEmptiesTheIdentifierPackIsRefused) {
  auto manager = FloorManager();
  ASSERT_TRUE(manager.BuildInitial().ok());
  // Well formed, its own example passes: only the floor stands in its way.
  const auto hollow =
      Pack("phi-identifiers",
           nlohmann::json::array({TermRule("phi.hollow", "other_id", {"zqxj"}, "zqxj")}));
  auto refused = manager.ReplaceBundle({hollow}, "7.0");
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().Describe().find("protection floor: phi.ssn"), std::string::npos)
      << refused.error().Describe();
  EXPECT_EQ(manager.bundle_version(), "");
  EXPECT_EQ(manager.TakePending(), nullptr);
}

TEST(ProtectionFloor, RuleKeptByIdButEmptiedIsRefused) {
  auto manager = FloorManager();
  ASSERT_TRUE(manager.BuildInitial().ok());
  auto packs = FloorPacks();
  auto identifiers = *std::find_if(packs.begin(), packs.end(),
                                   [](const rules::Pack& p) { return p.id == "phi-identifiers"; });
  for (auto& rule : identifiers.rules) {
    if (rule.id != "phi.mrn") continue;
    rule.pattern = R"(\bMRN-NEVER-\d{30}\b)";
    rule.span_group = 0;
    rule.examples = {"MRN-NEVER-123456789012345678901234567890"};
  }
  identifiers.version = "99";
  auto refused = manager.ReplaceBundle({identifiers}, "7.1");
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().Describe().find("protection floor: phi.mrn"), std::string::npos)
      << refused.error().Describe();
}

// The health pack replaced by one that keeps the floor's rule id but matches nothing: no
// rule is missing, so only the probes can tell, and the health words the names link to
// (and the health probe itself) no longer hold. Which probe fails first depends on what
// other packs still link a name (a patient cue such as pulling out one's own tube does),
// so the test asserts that a probe refused it, not which.
TEST(ProtectionFloor, HealthPackHollowedUnderItsOwnIdsIsRefusedByAProbe) {
  auto manager = FloorManager();
  ASSERT_TRUE(manager.BuildInitial().ok());
  const auto hollow = Pack(
      "health-terms", nlohmann::json::array({TermRule("health.term", "health", {"zqxj"}, "zqxj")}));
  auto refused = manager.ReplaceBundle({hollow}, "7.2");
  ASSERT_FALSE(refused.ok());
  const auto reason = refused.error().Describe();
  EXPECT_NE(reason.find("its probe no longer gives a"), std::string::npos) << reason;
  EXPECT_TRUE(reason.find("phi.name_titled") != std::string::npos ||
              reason.find("phi.name_full") != std::string::npos ||
              reason.find("health.term") != std::string::npos)
      << reason;
  EXPECT_EQ(manager.bundle_version(), "");
}

// Removing the health pack outright is refused before any probe runs: its rule is missing.
TEST(ProtectionFloor, HealthPackRemovedIsRefused) {
  auto manager = FloorManager();
  ASSERT_TRUE(manager.BuildInitial().ok());
  const auto hollow =
      Pack("health-terms",
           nlohmann::json::array({TermRule("health.hollow", "health", {"zqxj"}, "zqxj")}));
  auto refused = manager.ReplaceBundle({hollow}, "7.3");
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().Describe().find("protection floor: health.term: the rule is missing"),
            std::string::npos)
      << refused.error().Describe();
}

// A bundle stored by an earlier run (accepted under another configuration, or written by
// hand into the state folder with a valid signature) is not used at start below the floor:
// the host starts with the built-in packs rather than letting SSNs through.
TEST(ProtectionFloor, AStoredBundleBelowTheFloorIsNotUsedAtStart) {
  RuleInputs inputs;
  inputs.builtin = FloorPacks();
  inputs.bundle = {Pack("phi-identifiers", nlohmann::json::array({TermRule("phi.hollow", "other_id",
                                                                           {"zqxj"}, "zqxj")}))};
  inputs.bundle_version = "7.0";
  RuleManager manager(std::move(inputs), scan::BuildOptions{.cache = testing::SharedTestCache()},
                      kWideLimits);
  auto initial = manager.BuildInitial();
  ASSERT_TRUE(initial.ok()) << initial.error().Describe();
  EXPECT_EQ(manager.bundle_version(), "");
  EXPECT_EQ(initial.value()->version().find("+bundle@"), std::string::npos)
      << initial.value()->version();
  scan::Scanner scanner(initial.value());
  const auto output = scanner.Scan("SSN 524-71-3308");
  EXPECT_TRUE(
      std::any_of(output.findings.begin(), output.findings.end(),
                  [](const scan::Finding& f) { return f.action == rules::Action::kBlock; }));
}

TEST(ProtectionFloor, ConfigurationMayAllowASetBelowTheFloor) {
  auto manager = FloorManager(/*allow_below_floor=*/true);
  ASSERT_TRUE(manager.BuildInitial().ok());
  const auto hollow =
      Pack("phi-identifiers",
           nlohmann::json::array({TermRule("phi.hollow", "other_id", {"zqxj"}, "zqxj")}));
  auto accepted = manager.ReplaceBundle({hollow}, "7.0");
  ASSERT_TRUE(accepted.ok()) << accepted.error().Describe();
  scan::Scanner scanner(accepted.value());
  EXPECT_TRUE(scanner.Scan("SSN 524-71-3308").findings.empty());
}

// Organisation rules only add. Each text warns with the built-in packs; a cue on common
// words near it would have turned each finding into info.
TEST(ProtectionFloor, OrganisationSuppressorsAreRefusedAndBuiltInFindingsStay) {
  const std::vector<std::string> texts = {
      "Mr. Halvorsen was admitted with pneumonia",              // name
      "pt admitted on 03/14/2024 with pneumonia and sepsis",    // date
      "her daughter called from 412-555-0187 about the chemo",  // phone
  };
  for (const std::string evidence : {"staff", "not_patient"}) {
    auto manager = FloorManager();
    auto initial = manager.BuildInitial();
    ASSERT_TRUE(initial.ok());
    auto refused = manager.ReplaceOrganisation(
        {Pack("organisation", nlohmann::json::array({CommonWordsCue(evidence)}))});
    ASSERT_FALSE(refused.ok()) << evidence;
    EXPECT_NE(refused.error().Describe().find("org.everyday-" + evidence), std::string::npos)
        << refused.error().Describe();
    EXPECT_EQ(manager.TakePending(), nullptr);
    scan::Scanner scanner(initial.value());
    for (const auto& text : texts) {
      const auto output = scanner.Scan(text);
      EXPECT_TRUE(std::any_of(output.findings.begin(), output.findings.end(),
                              [](const scan::Finding& f) {
                                return f.rule->kind == rules::Kind::kPhi &&
                                       f.action >= rules::Action::kWarn;
                              }))
          << text;
    }
  }
}

// The threat the check above stops is real: compiled in directly, past the manager, the
// same cue turns every one of those findings into info.
TEST(ProtectionFloor, AnOrganisationSuppressorWouldLowerBuiltInFindings) {
  auto packs = FloorPacks();
  packs.push_back(Pack("organisation", nlohmann::json::array({CommonWordsCue("staff")})));
  auto built = scan::CompiledRules::Build(std::move(packs),
                                          scan::BuildOptions{.cache = testing::SharedTestCache()});
  ASSERT_TRUE(built.ok()) << built.error().Describe();
  scan::Scanner scanner(built.value());
  for (const std::string text : {"Mr. Halvorsen was admitted with pneumonia",
                                 "her daughter called from 412-555-0187 about the chemo"}) {
    const auto output = scanner.Scan(text);
    EXPECT_TRUE(
        std::none_of(output.findings.begin(), output.findings.end(),
                     [](const scan::Finding& f) { return f.action >= rules::Action::kWarn; }))
        << text;
  }
}

// A post-voice model is a suppressor over every word: organisation rules may not bring one.
TEST(ProtectionFloor, AnOrganisationVoiceModelIsRefused) {
  auto manager = FloorManager();
  ASSERT_TRUE(manager.BuildInitial().ok());
  auto pack = Pack("organisation", nlohmann::json::array({CommonWordsCue("health")}));
  auto model = std::make_shared<rules::VoiceModel>();
  model->Add("the", -50.0F);
  model->threshold = 0.5F;
  pack.voice_model = model;
  auto refused = manager.ReplaceOrganisation({pack});
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().Describe().find("'voice_model'"), std::string::npos)
      << refused.error().Describe();
}

TEST(ProtectionFloor, OrganisationCuesThatOnlyAddAreAccepted) {
  auto manager = FloorManager();
  ASSERT_TRUE(manager.BuildInitial().ok());
  auto accepted = manager.ReplaceOrganisation(
      {Pack("organisation", nlohmann::json::array({CommonWordsCue("health")}))});
  EXPECT_TRUE(accepted.ok()) << accepted.error().Describe();
}

}  // namespace
}  // namespace phiguard::engine
