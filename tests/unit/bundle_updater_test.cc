#include "update/bundle_updater.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "bundle/bundle.h"
#include "rules/pack_loader.h"
#include "test_support.h"

namespace phiguard::update {
namespace {

namespace fs = std::filesystem;
using phiguard::testing::PackJson;
using phiguard::testing::RuleJson;

const std::string kBuiltin = PackJson(
    "[" + RuleJson("b.ssn", R"("pattern":"\\b\\d{3}-\\d{2}-\\d{4}\\b","examples":["1"])") + "]");
// A pack a bundle may carry: its own id, and an example its rule finds.
const std::string kBundlePack =
    R"({"pack":"extra","version":"1","description":"d","rules":[)" +
    RuleJson("x.mrn", R"("pattern":"MRN \\d{8}","examples":["MRN 12345678"])") + "]}";

class BundleUpdaterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("phiguard-updater-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    keys_ = bundle::GenerateKeyPair();
    settings_.file = dir_ / "phiguard.bundle";
    settings_.state_file = dir_ / "bundle.current";
    settings_.rejected_file = dir_ / "bundle.rejected";
    settings_.status_file = dir_ / "bundle.status";
    settings_.trusted_keys = {keys_.public_key.Base64()};
    engine::RuleInputs inputs;
    inputs.builtin.push_back(rules::ParsePack(kBuiltin, "builtin.json").value());
    manager_ = std::make_unique<engine::RuleManager>(std::move(inputs), scan::BuildOptions{});
    ASSERT_TRUE(manager_->BuildInitial().ok());
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Writes a bundle signed with the trusted key around `payload`; returns its bytes.
  std::string WriteBundle(const std::string& payload) {
    const auto file = bundle::SignPayload(payload, keys_);
    EXPECT_TRUE(file.ok());
    std::ofstream(settings_.file, std::ios::binary | std::ios::trunc) << file.value();
    return file.value();
  }
  static std::string Payload(const std::string& created_json, const std::string& version = "2.0") {
    return R"({"version":")" + version + R"(","created":)" + created_json +
           R"(,"packs":[{"name":"extra.json","content":)" + nlohmann::json(kBundlePack).dump() +
           "}]}";
  }

  fs::path dir_;
  bundle::KeyPair keys_;
  UpdaterSettings settings_;
  std::unique_ptr<engine::RuleManager> manager_;
};

TEST_F(BundleUpdaterTest, AcceptsAWellFormedBundle) {
  WriteBundle(Payload(R"("2026-11-22T12:00:00Z")"));
  BundleUpdater updater(settings_, *manager_);
  EXPECT_EQ(updater.CheckOnce(), CheckOutcome::kAccepted);
  EXPECT_EQ(manager_->bundle_version(), "2.0");
}

// Former bug: `created` as a number threw out of the updater thread and aborted the host,
// and at the next start the same bundle did it again.
TEST_F(BundleUpdaterTest, BundleWithAFieldOfTheWrongTypeIsRejectedAndRemembered) {
  const auto bytes = WriteBundle(Payload("5"));
  BundleUpdater updater(settings_, *manager_);
  CheckOutcome outcome = CheckOutcome::kAccepted;
  ASSERT_NO_THROW(outcome = updater.CheckOnce());
  EXPECT_EQ(outcome, CheckOutcome::kRejected);
  EXPECT_TRUE(manager_->bundle_version().empty());
  std::ifstream in(settings_.rejected_file);
  const auto record = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  ASSERT_TRUE(record.is_object());
  EXPECT_EQ(record.value("digest", ""), bundle::BundleDigest(bytes));
}

TEST_F(BundleUpdaterTest, ABundleRememberedAsRejectedIsNotRetriedAtTheNextStart) {
  const auto bytes = WriteBundle(Payload(R"("now")"));
  std::ofstream(settings_.rejected_file)
      << nlohmann::json{{"digest", bundle::BundleDigest(bytes)}, {"version", "2.0"}}.dump();
  {
    BundleUpdater updater(settings_, *manager_);
    EXPECT_EQ(updater.CheckOnce(), CheckOutcome::kRejected);
    EXPECT_TRUE(manager_->bundle_version().empty());
  }
  // New bytes at the source are considered again.
  WriteBundle(Payload(R"("later")"));
  BundleUpdater updater(settings_, *manager_);
  EXPECT_EQ(updater.CheckOnce(), CheckOutcome::kAccepted);
}

TEST_F(BundleUpdaterTest, ABundleWithAnUntrustedSignatureIsNotRemembered) {
  const auto other = bundle::GenerateKeyPair();
  std::ofstream(settings_.file) << bundle::SignPayload(Payload(R"("now")"), other).value();
  BundleUpdater updater(settings_, *manager_);
  EXPECT_EQ(updater.CheckOnce(), CheckOutcome::kRejected);
  // Policy may add the signer's key later (`configure`): nothing is remembered.
  EXPECT_FALSE(fs::exists(settings_.rejected_file));
}

nlohmann::json ReadStatus(const fs::path& path) {
  std::ifstream in(path);
  return nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
}

// Between releases the server keeps serving the bundle in force, and every host start
// fetches it again: that is the normal state, not a rejection.
TEST_F(BundleUpdaterTest, TheVersionInForceAtTheSourceIsCurrentNotRefused) {
  WriteBundle(Payload(R"("first signing")"));
  BundleUpdater updater(settings_, *manager_);
  ASSERT_EQ(updater.CheckOnce(), CheckOutcome::kAccepted);
  WriteBundle(Payload(R"("signed again")"));  // new bytes, same version
  const auto result = updater.Check();
  EXPECT_EQ(result.outcome, CheckOutcome::kCurrent);
  EXPECT_EQ(result.version, "2.0");
  EXPECT_TRUE(result.reason.empty()) << result.reason;
  const auto status = ReadStatus(settings_.status_file);
  EXPECT_EQ(status.value("outcome", ""), "current");
  EXPECT_EQ(status.value("in_force", ""), "2.0");
}

TEST_F(BundleUpdaterTest, AnOlderVersionIsRefusedNamingBothVersions) {
  WriteBundle(Payload(R"("now")"));
  BundleUpdater updater(settings_, *manager_);
  ASSERT_EQ(updater.CheckOnce(), CheckOutcome::kAccepted);
  WriteBundle(Payload(R"("now")", "1.5"));
  const auto result = updater.Check();
  EXPECT_EQ(result.outcome, CheckOutcome::kRejected);
  EXPECT_NE(result.reason.find("1.5"), std::string::npos) << result.reason;
  EXPECT_NE(result.reason.find("2.0"), std::string::npos) << result.reason;
  EXPECT_EQ(manager_->bundle_version(), "2.0");
  EXPECT_EQ(ReadStatus(settings_.status_file).value("outcome", ""), "refused");
}

// Former stall: a bundle refused because its key had not come from policy yet was never
// looked at again (unchanged file, or a 304 for the same ETag) after `configure` brought
// the key.
TEST_F(BundleUpdaterTest, AKeyFromPolicyAfterARefusalJudgesTheSameBundleAgain) {
  const auto signer = bundle::GenerateKeyPair();
  std::ofstream(settings_.file) << bundle::SignPayload(Payload(R"("now")"), signer).value();
  BundleUpdater updater(settings_, *manager_);
  ASSERT_EQ(updater.CheckOnce(), CheckOutcome::kRejected);
  ASSERT_EQ(updater.CheckOnce(), CheckOutcome::kUnchanged);
  updater.AddPolicyKeys({signer.public_key.Base64()});
  EXPECT_EQ(updater.CheckOnce(), CheckOutcome::kAccepted);
  EXPECT_EQ(manager_->bundle_version(), "2.0");
  // The same keys again (every `configure` sends them) are nothing new.
  updater.AddPolicyKeys({signer.public_key.Base64()});
  EXPECT_EQ(updater.CheckOnce(), CheckOutcome::kUnchanged);
}

// At start only the configuration's keys are known, so a stored bundle signed with a key
// from policy is not restored then; when policy brings the key it is, even offline.
TEST_F(BundleUpdaterTest, AStoredBundleSignedWithAPolicyKeyIsRestoredWhenTheKeyArrives) {
  const auto signer = bundle::GenerateKeyPair();
  std::ofstream(settings_.state_file) << bundle::SignPayload(Payload(R"("now")"), signer).value();
  engine::RuleInputs inputs;
  BundleUpdater::RestoreInto(settings_, inputs);
  ASSERT_TRUE(inputs.bundle_version.empty());
  BundleUpdater updater(settings_, *manager_);  // the source (settings_.file) is absent
  updater.AddPolicyKeys({signer.public_key.Base64()});
  EXPECT_EQ(updater.CheckOnce(), CheckOutcome::kFetchFailed);
  EXPECT_EQ(manager_->bundle_version(), "2.0");
}

TEST_F(BundleUpdaterTest, TheStoredBundleIsRestoredWithTheConfiguredKeys) {
  std::ofstream(settings_.state_file) << bundle::SignPayload(Payload(R"("now")"), keys_).value();
  engine::RuleInputs inputs;
  BundleUpdater::RestoreInto(settings_, inputs);
  EXPECT_EQ(inputs.bundle_version, "2.0");
  EXPECT_EQ(inputs.bundle.size(), 1u);
}

}  // namespace
}  // namespace phiguard::update
