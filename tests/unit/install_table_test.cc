// The browser × OS × scope table: every documented location, the shape of every row, and the
// Windows files (PowerShell script, MSI source) kept in step with it.

#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "install/browser_table.h"
#include "install/environment.h"

namespace phiguard::install {
namespace {

std::string ReadSource(const std::string& relative) {
  std::ifstream in(std::string(PHIGUARD_SOURCE_DIR) + "/" + relative, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

Environment FakeHome(Os os) {
  Environment env;
  env.os = os;
  env.home = "/home/nurse";
  return env;
}

TEST(InstallTable, EveryBrowserHasUserAndSystemRowsOnEveryOs) {
  for (const auto& info : AllBrowsers()) {
    for (const Os os : {Os::kLinux, Os::kMacos, Os::kWindows}) {
      for (const Scope scope : {Scope::kUser, Scope::kSystem}) {
        EXPECT_FALSE(LocationsFor(info.browser, os, scope).empty())
            << info.name << " os " << static_cast<int>(os) << " " << ScopeName(scope);
      }
    }
  }
}

TEST(InstallTable, RowsHaveTheRightKindOfBase) {
  for (const auto& row : AllLocations()) {
    const std::string where = std::string(Info(row.browser).name) + " " + std::string(row.dir);
    if (row.os == Os::kWindows) {
      EXPECT_EQ(row.base, Base::kRegistry) << where;
      EXPECT_TRUE(std::string(row.dir).starts_with("SOFTWARE\\")) << where;
      EXPECT_TRUE(std::string(row.dir).ends_with("\\NativeMessagingHosts")) << where;
    } else if (row.scope == Scope::kSystem) {
      EXPECT_EQ(row.base, Base::kAbsolute) << where;
      EXPECT_TRUE(std::filesystem::path(row.dir).is_absolute()) << where;
    } else {
      EXPECT_NE(row.base, Base::kAbsolute) << where;
      EXPECT_FALSE(std::filesystem::path(row.dir).is_absolute()) << where;
    }
  }
}

TEST(InstallTable, NoTwoBrowsersShareAFile) {
  // Uninstalling one browser must never remove another browser's manifest.
  std::set<std::string> files;
  for (const auto& row : AllLocations()) {
    if (row.base == Base::kRegistry) continue;
    const auto file = ManifestFile(row, FakeHome(row.os)).string();
    EXPECT_TRUE(files.insert(file).second) << file;
  }
}

TEST(InstallTable, ResolvesTheDocumentedLocations) {
  const struct {
    Browser browser;
    Os os;
    Scope scope;
    const char* file;
  } cases[] = {
      // Linux, system: what the packages install.
      {Browser::kChrome, Os::kLinux, Scope::kSystem,
       "/etc/opt/chrome/native-messaging-hosts/com.phiguard.host.json"},
      {Browser::kChromium, Os::kLinux, Scope::kSystem,
       "/etc/chromium/native-messaging-hosts/com.phiguard.host.json"},
      {Browser::kEdge, Os::kLinux, Scope::kSystem,
       "/etc/opt/edge/native-messaging-hosts/com.phiguard.host.json"},
      {Browser::kBrave, Os::kLinux, Scope::kSystem,
       "/etc/opt/brave/native-messaging-hosts/com.phiguard.host.json"},
      {Browser::kFirefox, Os::kLinux, Scope::kSystem,
       "/usr/lib/mozilla/native-messaging-hosts/com.phiguard.host.json"},
      // Linux, user.
      {Browser::kChrome, Os::kLinux, Scope::kUser,
       "/home/nurse/.config/google-chrome/NativeMessagingHosts/com.phiguard.host.json"},
      {Browser::kChromium, Os::kLinux, Scope::kUser,
       "/home/nurse/.config/chromium/NativeMessagingHosts/com.phiguard.host.json"},
      {Browser::kEdge, Os::kLinux, Scope::kUser,
       "/home/nurse/.config/microsoft-edge/NativeMessagingHosts/com.phiguard.host.json"},
      {Browser::kBrave, Os::kLinux, Scope::kUser,
       "/home/nurse/.config/BraveSoftware/Brave-Browser/NativeMessagingHosts/"
       "com.phiguard.host.json"},
      {Browser::kVivaldi, Os::kLinux, Scope::kUser,
       "/home/nurse/.config/vivaldi/NativeMessagingHosts/com.phiguard.host.json"},
      {Browser::kFirefox, Os::kLinux, Scope::kUser,
       "/home/nurse/.mozilla/native-messaging-hosts/com.phiguard.host.json"},
      // macOS.
      {Browser::kChrome, Os::kMacos, Scope::kSystem,
       "/Library/Google/Chrome/NativeMessagingHosts/com.phiguard.host.json"},
      {Browser::kEdge, Os::kMacos, Scope::kSystem,
       "/Library/Microsoft/Edge/NativeMessagingHosts/com.phiguard.host.json"},
      {Browser::kFirefox, Os::kMacos, Scope::kSystem,
       "/Library/Application Support/Mozilla/NativeMessagingHosts/com.phiguard.host.json"},
      {Browser::kChrome, Os::kMacos, Scope::kUser,
       "/home/nurse/Library/Application "
       "Support/Google/Chrome/NativeMessagingHosts/com.phiguard.host.json"},
      {Browser::kEdge, Os::kMacos, Scope::kUser,
       "/home/nurse/Library/Application Support/Microsoft "
       "Edge/NativeMessagingHosts/com.phiguard.host.json"},
  };
  for (const auto& c : cases) {
    const auto rows = LocationsFor(c.browser, c.os, c.scope);
    ASSERT_FALSE(rows.empty());
    EXPECT_EQ(ManifestFile(rows.front(), FakeHome(c.os)), c.file);
  }
}

TEST(InstallTable, FirefoxOnLinuxGetsLibAndLib64) {
  const auto rows = LocationsFor(Browser::kFirefox, Os::kLinux, Scope::kSystem);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1].dir, "/usr/lib64/mozilla/native-messaging-hosts");
}

TEST(InstallTable, XdgConfigHomeAndUserDataDirMoveUserLocations) {
  Environment env = FakeHome(Os::kLinux);
  env.xdg_config_home = "/srv/cfg";
  const auto chrome = LocationsFor(Browser::kChrome, Os::kLinux, Scope::kUser).front();
  EXPECT_EQ(ManifestDir(chrome, env), "/srv/cfg/google-chrome/NativeMessagingHosts");
  env.user_data_dir = "/tmp/profile";
  EXPECT_EQ(ManifestDir(chrome, env), "/tmp/profile/NativeMessagingHosts");
  // Firefox has no user-data-dir; its folder stays below $HOME.
  const auto firefox = LocationsFor(Browser::kFirefox, Os::kLinux, Scope::kUser).front();
  EXPECT_EQ(ManifestDir(firefox, env), "/home/nurse/.mozilla/native-messaging-hosts");
}

TEST(InstallTable, RootPrefixesSystemLocationsOnly) {
  Environment env = FakeHome(Os::kLinux);
  env.root = "/tmp/stage";
  const auto system = LocationsFor(Browser::kEdge, Os::kLinux, Scope::kSystem).front();
  EXPECT_EQ(ManifestDir(system, env), "/tmp/stage/etc/opt/edge/native-messaging-hosts");
  const auto user = LocationsFor(Browser::kEdge, Os::kLinux, Scope::kUser).front();
  EXPECT_EQ(ManifestDir(user, env), "/home/nurse/.config/microsoft-edge/NativeMessagingHosts");
}

TEST(InstallTable, WindowsFilesRegisterEveryKeyInTheTable) {
  // The PowerShell script and the MSI cannot run here; this keeps their keys honest.
  const std::string script = ReadSource("manifests/windows/install-host.ps1.in");
  const std::string msi = ReadSource("manifests/windows/phiguard.wxs.in");
  ASSERT_FALSE(script.empty());
  ASSERT_FALSE(msi.empty());
  for (const auto& row : AllLocations()) {
    if (row.os != Os::kWindows) continue;
    const std::string key(row.dir);
    const std::string browser(Info(row.browser).name);
    EXPECT_NE(script.find("Browser = '" + browser + "'"), std::string::npos) << browser;
    EXPECT_NE(script.find("Key = '" + key + "'"), std::string::npos) << key;
    EXPECT_NE(msi.find("Key=\"" + key + "\\@PHIGUARD_HOST_NAME@\""), std::string::npos) << key;
  }
}

}  // namespace
}  // namespace phiguard::install
