// Install and uninstall against a temporary root and home: the files land where the table
// says, with the right content and mode, twice is harmless, and uninstall removes only ours.

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "install/detect.h"
#include "install/installer.h"

namespace phiguard::install {
namespace {

namespace fs = std::filesystem;

const ExtensionIds kInstallerTestIds{"abcdefghijklmnopabcdefghijklmnop", "phiguard@phiguard.org"};

class InstallerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    base_ = fs::temp_directory_path() /
            ("phiguard-install-test-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(base_);
    env_.os = Os::kLinux;
    env_.home = base_ / "home";
    env_.root = base_ / "root";
    fs::create_directories(env_.home);
    MakeExecutable(env_.root / "usr/bin/phiguard-host");
  }
  void TearDown() override { fs::remove_all(base_); }

  static void MakeExecutable(const fs::path& path) {
    fs::create_directories(path.parent_path());
    std::ofstream(path) << "#!/bin/sh\n";
    fs::permissions(path, fs::perms::owner_all | fs::perms::group_read | fs::perms::others_read);
  }

  // System manifests name the host as the browser will see it (below the root); user ones
  // name a real program.
  InstallRequest Request(Scope scope, std::vector<Browser> browsers) const {
    const fs::path host = scope == Scope::kSystem ? fs::path("/usr/bin/phiguard-host")
                                                  : env_.root / "usr/bin/phiguard-host";
    return {scope, std::move(browsers), host, kInstallerTestIds, env_};
  }

  fs::path base_;
  Environment env_;
};

TEST_F(InstallerTest, SystemInstallWritesEveryRowUnderRoot) {
  std::vector<Browser> all;
  for (const auto& info : AllBrowsers()) all.push_back(info.browser);
  const auto changes = Install(Request(Scope::kSystem, all));
  ASSERT_TRUE(changes.ok()) << changes.error().Describe();
  EXPECT_EQ(changes.value().size(), 7u);  // six browsers, Firefox twice (lib and lib64)
  for (const auto& change : changes.value()) {
    EXPECT_EQ(change.kind, FileChange::Kind::kWritten);
    EXPECT_TRUE(change.file.string().starts_with(env_.root.string())) << change.file;
    std::ifstream in(change.file);
    const auto manifest = nlohmann::json::parse(in);
    EXPECT_TRUE(ValidateManifest(manifest, Info(change.browser).family, kInstallerTestIds).empty());
    EXPECT_EQ(manifest["path"], "/usr/bin/phiguard-host");  // as the browser sees it
    struct stat st {};
    ASSERT_EQ(::stat(change.file.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0644u) << change.file;  // browsers run as any user
  }
  EXPECT_TRUE(fs::exists(env_.root / "etc/chromium/native-messaging-hosts/com.phiguard.host.json"));
}

TEST_F(InstallerTest, InstallingTwiceChangesNothingAndLeavesNoTemporaryFiles) {
  ASSERT_TRUE(Install(Request(Scope::kUser, {Browser::kChromium})).ok());
  const auto again = Install(Request(Scope::kUser, {Browser::kChromium}));
  ASSERT_TRUE(again.ok());
  ASSERT_EQ(again.value().size(), 1u);
  EXPECT_EQ(again.value()[0].kind, FileChange::Kind::kUnchanged);
  const auto dir = env_.home / ".config/chromium/NativeMessagingHosts";
  EXPECT_EQ(std::distance(fs::directory_iterator(dir), fs::directory_iterator()), 1);
}

TEST_F(InstallerTest, UserDataDirTakesTheManifest) {
  env_.user_data_dir = base_ / "profile";
  const auto changes = Install(Request(Scope::kUser, {Browser::kChromium}));
  ASSERT_TRUE(changes.ok());
  EXPECT_EQ(changes.value()[0].file, base_ / "profile/NativeMessagingHosts/com.phiguard.host.json");
}

TEST_F(InstallerTest, RefusesRequestsThatWouldWriteABrokenManifest) {
  const struct {
    const char* what;
    std::function<void(InstallRequest&)> change;
    const char* where;
  } cases[] = {
      {"relative host", [](InstallRequest& r) { r.host_path = "phiguard-host"; }, "--host-path"},
      {"missing host", [](InstallRequest& r) { r.host_path = "/usr/bin/nothing"; }, "--host-path"},
      {"bad id", [](InstallRequest& r) { r.ids.chromium = "*"; }, "--extension-id"},
      {"no firefox id", [](InstallRequest& r) { r.ids.firefox.clear(); }, "--firefox-extension-id"},
      {"no browser", [](InstallRequest& r) { r.browsers.clear(); }, "--browser"},
      {"windows", [](InstallRequest& r) { r.env.os = Os::kWindows; }, ""},
  };
  for (const auto& c : cases) {
    auto request = Request(Scope::kSystem, {Browser::kChrome, Browser::kFirefox});
    c.change(request);
    const auto result = Install(request);
    ASSERT_FALSE(result.ok()) << c.what;
    EXPECT_EQ(result.error().where, c.where) << c.what << ": " << result.error().Describe();
  }
  EXPECT_FALSE(fs::exists(env_.root / "etc")) << "nothing is written when the request is wrong";
}

TEST_F(InstallerTest, HostMustBeExecutable) {
  fs::permissions(env_.root / "usr/bin/phiguard-host",
                  fs::perms::owner_read | fs::perms::owner_write);
  // No x bit for anyone: access(X_OK) fails even for root.
  EXPECT_FALSE(Install(Request(Scope::kSystem, {Browser::kChrome})).ok());
}

TEST_F(InstallerTest, UninstallRemovesOursAndKeepsOthers) {
  ASSERT_TRUE(Install(Request(Scope::kSystem, {Browser::kChromium, Browser::kFirefox})).ok());
  const auto dir = env_.root / "usr/lib/mozilla/native-messaging-hosts";
  std::ofstream(dir / "org.other.host.json") << "{}";
  const auto changes = Uninstall(Scope::kSystem, {Browser::kChromium, Browser::kFirefox}, env_);
  ASSERT_TRUE(changes.ok());
  for (const auto& change : changes.value()) {
    EXPECT_EQ(change.kind, FileChange::Kind::kRemoved) << change.file;
    EXPECT_FALSE(fs::exists(change.file));
  }
  EXPECT_TRUE(fs::exists(dir / "org.other.host.json")) << "another vendor's manifest stays";
  EXPECT_FALSE(fs::exists(env_.root / "etc/chromium/native-messaging-hosts"))
      << "the folder we emptied goes";
  const auto again = Uninstall(Scope::kSystem, {Browser::kChromium}, env_);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again.value()[0].kind, FileChange::Kind::kAbsent);
}

TEST_F(InstallerTest, DetectsBrowsersOnPathAndByProfile) {
  MakeExecutable(base_ / "bin/chromium");
  MakeExecutable(base_ / "bin/firefox-esr");
  env_.path_dirs = {base_ / "nowhere", base_ / "bin"};
  EXPECT_EQ(DetectBrowsers(env_, Scope::kSystem),
            (std::vector<Browser>{Browser::kChromium, Browser::kFirefox}));
  fs::create_directories(env_.home / ".config/microsoft-edge");
  EXPECT_EQ(DetectBrowsers(env_, Scope::kUser),
            (std::vector<Browser>{Browser::kChromium, Browser::kEdge, Browser::kFirefox}));
}

TEST(InstallBrowserList, ParsesCommasAndRejectsUnknownNames) {
  const auto list = ParseBrowserList({"chrome, firefox", "chrome", "edge"});
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(list.value(),
            (std::vector<Browser>{Browser::kChrome, Browser::kFirefox, Browser::kEdge}));
  const auto bad = ParseBrowserList({"safari"});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().reason.find("unknown browser 'safari'"), std::string::npos);
}

}  // namespace
}  // namespace phiguard::install
