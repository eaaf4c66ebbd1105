// Host manifests: what we build passes our own validation, and each way a manifest can be
// wrong (name charset, relative path, wildcard or foreign origins) is caught.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "install/host_manifest.h"

namespace phiguard::install {
namespace {

using nlohmann::json;

const ExtensionIds kManifestTestIds{"abcdefghijklmnopabcdefghijklmnop", "phiguard@phiguard.org"};

std::string Joined(const std::vector<std::string>& problems) {
  std::string all;
  for (const auto& p : problems) all += p + "; ";
  return all;
}

TEST(HostManifest, BuildsExactlyWhatBrowsersExpect) {
  const json chromium =
      BuildManifest(Family::kChromium, "/usr/bin/phiguard-host", kManifestTestIds);
  EXPECT_EQ(chromium["name"], "com.phiguard.host");
  EXPECT_EQ(chromium["type"], "stdio");
  EXPECT_EQ(chromium["path"], "/usr/bin/phiguard-host");
  EXPECT_EQ(chromium["allowed_origins"],
            json::array({"chrome-extension://abcdefghijklmnopabcdefghijklmnop/"}));
  EXPECT_FALSE(chromium.contains("allowed_extensions"));
  EXPECT_TRUE(ValidateManifest(chromium, Family::kChromium, kManifestTestIds).empty());

  const json firefox = BuildManifest(Family::kFirefox, "/usr/bin/phiguard-host", kManifestTestIds);
  EXPECT_EQ(firefox["allowed_extensions"], json::array({"phiguard@phiguard.org"}));
  EXPECT_FALSE(firefox.contains("allowed_origins"));
  EXPECT_TRUE(ValidateManifest(firefox, Family::kFirefox, kManifestTestIds).empty());
}

TEST(HostManifest, HostNameCharset) {
  const struct {
    const char* name;
    bool valid;
  } cases[] = {
      {"com.phiguard.host", true},
      {"a", true},
      {"a_b.c9", true},
      {"Com.phiguard.host", false},  // Chrome: lowercase only
      {".com.phiguard", false},
      {"com.phiguard.", false},
      {"com..phiguard", false},
      {"com-phiguard", false},
      {"com/phiguard", false},
      {"", false},
  };
  for (const auto& c : cases) EXPECT_EQ(IsValidHostName(c.name), c.valid) << c.name;
}

TEST(HostManifest, ExtensionIds) {
  EXPECT_TRUE(IsValidChromeExtensionId("abcdefghijklmnopabcdefghijklmnop"));
  EXPECT_FALSE(IsValidChromeExtensionId("abcdefghijklmnopabcdefghijklmnoq"));  // q is past p
  EXPECT_FALSE(IsValidChromeExtensionId("abcdefghijklmnop"));
  EXPECT_FALSE(IsValidChromeExtensionId("*"));
  EXPECT_TRUE(IsValidFirefoxExtensionId("phiguard@phiguard.org"));
  EXPECT_TRUE(IsValidFirefoxExtensionId("{12345678-1234-1234-1234-123456789abc}"));
  EXPECT_FALSE(IsValidFirefoxExtensionId("phiguard"));
  EXPECT_FALSE(IsValidFirefoxExtensionId("*@phiguard.org"));
  EXPECT_FALSE(IsValidFirefoxExtensionId("a@b@c"));
}

TEST(HostManifest, CatchesEveryWayAManifestIsWrong) {
  const json good = BuildManifest(Family::kChromium, "/usr/bin/phiguard-host", kManifestTestIds);
  const struct {
    const char* what;
    json patch;  // merged into the good manifest
    const char* problem;
  } cases[] = {
      {"relative path", {{"path", "phiguard-host"}}, "is not absolute"},
      {"wrong type", {{"type", "socket"}}, "type must be \"stdio\""},
      {"bad charset", {{"name", "Com.PHIGuard.host"}}, "characters browsers reject"},
      {"other host name", {{"name", "com.other.host"}}, "not 'com.phiguard.host'"},
      {"wildcard origin", {{"allowed_origins", {"chrome-extension://*/"}}}, "wildcard"},
      {"no trailing slash",
       {{"allowed_origins", {"chrome-extension://abcdefghijklmnopabcdefghijklmnop"}}},
       "is not chrome-extension://"},
      {"foreign extension",
       {{"allowed_origins",
         {"chrome-extension://abcdefghijklmnopabcdefghijklmnop/",
          "chrome-extension://ponmlkjihgfedcbaponmlkjihgfedcba/"}}},
       "expected only"},
      {"empty origins", {{"allowed_origins", json::array()}}, "non-empty array"},
      {"firefox key in chromium manifest",
       {{"allowed_extensions", {"x@y.z"}}},
       "unexpected 'allowed_extensions'"},
      {"description missing", {{"description", nullptr}}, "'description' must be a string"},
  };
  for (const auto& c : cases) {
    json bad = good;
    bad.merge_patch(c.patch);
    const auto problems = ValidateManifest(bad, Family::kChromium, kManifestTestIds);
    EXPECT_NE(Joined(problems).find(c.problem), std::string::npos)
        << c.what << ": " << Joined(problems);
  }
  EXPECT_FALSE(ValidateManifest(json::array(), Family::kChromium, kManifestTestIds).empty());
}

TEST(HostManifest, FirefoxAllowListIsExact) {
  json manifest = BuildManifest(Family::kFirefox, "/usr/bin/phiguard-host", kManifestTestIds);
  manifest["allowed_extensions"] = {"*"};
  EXPECT_NE(Joined(ValidateManifest(manifest, Family::kFirefox, kManifestTestIds)).find("wildcard"),
            std::string::npos);
  manifest["allowed_extensions"] = {"other@example.org"};
  EXPECT_NE(
      Joined(ValidateManifest(manifest, Family::kFirefox, kManifestTestIds)).find("expected only"),
      std::string::npos);
}

TEST(HostManifest, EmptyExpectedIdChecksShapeOnly) {
  const json manifest =
      BuildManifest(Family::kChromium, "/usr/bin/phiguard-host", kManifestTestIds);
  EXPECT_TRUE(ValidateManifest(manifest, Family::kChromium, {}).empty());
}

}  // namespace
}  // namespace phiguard::install
