// `phiguard doctor`: found and valid, invalid with a reason, host not executable, and a
// user-level manifest shadowing the system one.

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>

#include "install/doctor.h"
#include "install/installer.h"

namespace phiguard::install {
namespace {

namespace fs = std::filesystem;

const ExtensionIds kIds{"abcdefghijklmnopabcdefghijklmnop", "phiguard@phiguard.org"};

class DoctorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    base_ = fs::temp_directory_path() /
            ("phiguard-doctor-test-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(base_);
    env_.os = Os::kLinux;
    env_.home = base_ / "home";
    env_.root = base_ / "root";
    host_ = base_ / "root/usr/bin/phiguard-host";
    fs::create_directories(host_.parent_path());
    std::ofstream(host_) << "#!/bin/sh\n";
    fs::permissions(host_, fs::perms::owner_all);
  }
  void TearDown() override { fs::remove_all(base_); }

  void InstallSystem(Browser browser) {
    ASSERT_TRUE(Install({Scope::kSystem, {browser}, "/usr/bin/phiguard-host", kIds, env_}).ok());
  }
  // User-level manifests name real paths, so they point at the host under the test root.
  void InstallUser(Browser browser) {
    ASSERT_TRUE(Install({Scope::kUser, {browser}, host_, kIds, env_}).ok());
  }
  BrowserDiagnosis DiagnoseOne(Browser browser) {
    return Diagnose({browser}, true, true, kIds, env_).front();
  }

  fs::path base_;
  fs::path host_;
  Environment env_;
};

TEST_F(DoctorTest, NothingInstalled) {
  const auto d = DiagnoseOne(Browser::kChrome);
  EXPECT_FALSE(d.HasUserManifest() || d.HasSystemManifest() || d.UserShadowsSystem());
  EXPECT_NE(FormatDiagnosis({d}, false).find("chrome: no manifest"), std::string::npos);
}

TEST_F(DoctorTest, ValidSystemManifest) {
  InstallSystem(Browser::kChromium);
  const auto d = DiagnoseOne(Browser::kChromium);
  EXPECT_TRUE(d.HasValidManifest());
  EXPECT_FALSE(d.HasInvalidManifest());
  EXPECT_FALSE(d.UserShadowsSystem());
  ASSERT_EQ(d.system.size(), 1u);
  EXPECT_EQ(d.system[0].state, ManifestCheck::State::kValid);
}

TEST_F(DoctorTest, UserManifestShadowsSystemOne) {
  InstallSystem(Browser::kChromium);
  InstallUser(Browser::kChromium);
  const auto d = DiagnoseOne(Browser::kChromium);
  EXPECT_TRUE(d.UserShadowsSystem());
  const auto text = FormatDiagnosis({d}, true);
  EXPECT_NE(text.find("shadows the system one"), std::string::npos) << text;
  EXPECT_NE(text.find("NativeMessagingUserLevelHosts"), std::string::npos) << text;
  EXPECT_TRUE(DiagnosisJson({d})[0]["user_shadows_system"].get<bool>());
}

TEST_F(DoctorTest, HostThatIsNotExecutable) {
  InstallSystem(Browser::kEdge);
  fs::remove(host_);
  const auto d = DiagnoseOne(Browser::kEdge);
  ASSERT_EQ(d.system[0].state, ManifestCheck::State::kInvalid);
  EXPECT_NE(d.system[0].problems.back().find("is not an executable file"), std::string::npos);
}

// A manifest with our name and id that names another program (`/bin/cat`, a copy of the
// host elsewhere) is invalid when the installed host is known, and is not started; a link
// to the installed host is the same file and passes.
TEST_F(DoctorTest, HostThatIsNotTheInstalledOne) {
  env_.installed_host = host_;
  const auto other = env_.root / "bin/cat";
  fs::create_directories(other.parent_path());
  std::ofstream(other) << "#!/bin/sh\n";
  fs::permissions(other, fs::perms::owner_all);
  ASSERT_TRUE(Install({Scope::kSystem, {Browser::kChrome}, "/bin/cat", kIds, env_}).ok());
  const auto d = DiagnoseOne(Browser::kChrome);
  ASSERT_EQ(d.system.size(), 1u);
  EXPECT_EQ(d.system[0].state, ManifestCheck::State::kInvalid);
  ASSERT_FALSE(d.system[0].problems.empty());
  EXPECT_NE(d.system[0].problems.back().find("'/bin/cat' is not the installed phiguard-host"),
            std::string::npos)
      << d.system[0].problems.back();

  const auto link = env_.root / "usr/local/bin/phiguard-host";
  fs::create_directories(link.parent_path());
  fs::create_symlink(host_, link);
  ASSERT_TRUE(
      Install({Scope::kSystem, {Browser::kChrome}, "/usr/local/bin/phiguard-host", kIds, env_})
          .ok());
  EXPECT_EQ(DiagnoseOne(Browser::kChrome).system[0].state, ManifestCheck::State::kValid);
  InstallSystem(Browser::kChrome);
  EXPECT_EQ(DiagnoseOne(Browser::kChrome).system[0].state, ManifestCheck::State::kValid);
}

// A manifest is the user's file when user-level, and doctor often runs as root: its size
// is checked before it is read, and a FIFO does not hang it.
TEST_F(DoctorTest, HugeOrSpecialManifestIsNotRead) {
  const auto file = env_.root / "etc/chromium/native-messaging-hosts/com.phiguard.host.json";
  fs::create_directories(file.parent_path());
  { std::ofstream touch(file); }
  fs::resize_file(file, 1ull << 30);  // sparse: no disk used
  auto check = CheckManifestFile(file, Family::kChromium, kIds, env_);
  EXPECT_EQ(check.state, ManifestCheck::State::kInvalid);
  ASSERT_FALSE(check.problems.empty());
  EXPECT_NE(check.problems.front().find("larger than 1 MiB"), std::string::npos)
      << check.problems.front();
  fs::remove(file);
  ASSERT_EQ(::mkfifo(file.c_str(), 0600), 0);
  check = CheckManifestFile(file, Family::kChromium, kIds, env_);
  EXPECT_EQ(check.state, ManifestCheck::State::kInvalid);
  ASSERT_FALSE(check.problems.empty());
  EXPECT_NE(check.problems.front().find("not a regular file"), std::string::npos);
}

TEST_F(DoctorTest, BrokenManifests) {
  const auto file = env_.root / "etc/chromium/native-messaging-hosts/com.phiguard.host.json";
  const struct {
    const char* text;
    const char* problem;
  } cases[] = {
      {"{not json", "not valid JSON"},
      {R"({"name":"com.phiguard.host","description":"d","path":"/usr/bin/phiguard-host",
           "type":"stdio","allowed_origins":["chrome-extension://*/"]})",
       "wildcard"},
      {R"({"name":"com.phiguard.host","description":"d","path":"bin/phiguard-host",
           "type":"stdio","allowed_origins":["chrome-extension://abcdefghijklmnopabcdefghijklmnop/"]})",
       "not absolute"},
  };
  for (const auto& c : cases) {
    fs::create_directories(file.parent_path());
    std::ofstream(file) << c.text;
    const auto check = CheckManifestFile(file, Family::kChromium, kIds, env_);
    EXPECT_EQ(check.state, ManifestCheck::State::kInvalid) << c.text;
    ASSERT_FALSE(check.problems.empty());
    EXPECT_NE(check.problems.front().find(c.problem), std::string::npos) << check.problems.front();
  }
}

}  // namespace
}  // namespace phiguard::install
