#include "config/host_config.h"

#include <gtest/gtest.h>

namespace phiguard::config {
namespace {

TEST(HostConfig, ParsesEveryField) {
  const auto config = ParseHostConfig(R"({
    "rules_dir": "/srv/rules", "trusted_keys": ["AAAA"], "bundle_url": "https://r.example/b",
    "bundle_path": "/mnt/b", "update_interval_seconds": 60, "update_jitter_seconds": 5,
    "ca_file": "/etc/ca.pem",
    "audit": {"enabled": true, "file": "/var/log/a.jsonl", "syslog": true, "max_bytes": 8192,
              "max_files": 2, "syslog_socket": "/run/systemd/journal/dev-log",
              "device_identity": "hashed"}})",
                                      "config.json");
  ASSERT_TRUE(config.ok()) << config.error().Describe();
  const auto& c = config.value();
  EXPECT_EQ(c.rules_dir, "/srv/rules");
  EXPECT_EQ(c.trusted_keys, std::vector<std::string>{"AAAA"});
  EXPECT_EQ(c.update_interval.count(), 60);
  EXPECT_EQ(c.update_jitter.count(), 5);
  EXPECT_TRUE(c.audit.enabled && c.audit.syslog);
  EXPECT_EQ(c.audit.max_files, 2u);
  EXPECT_EQ(c.audit.syslog_socket, "/run/systemd/journal/dev-log");
  EXPECT_EQ(c.audit.device_identity, DeviceIdentity::kHashed);
}

TEST(HostConfig, DeviceIdentityIsNoneByDefaultAndAnUnknownValueIsNamed) {
  EXPECT_EQ(ParseHostConfig("{}", "c").value().audit.device_identity, DeviceIdentity::kNone);
  const auto bad = ParseHostConfig(R"({"audit": {"device_identity": "mac"}})", "c").value();
  EXPECT_EQ(bad.audit.device_identity, DeviceIdentity::kNone);
  ASSERT_EQ(bad.problems.size(), 1u);
  EXPECT_NE(bad.problems[0].find("audit.device_identity"), std::string::npos) << bad.problems[0];
}

TEST(HostConfig, DefaultsWhenEmptyOrMissing) {
  const auto config = ParseHostConfig("{}", "config.json");
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(config.value().rules_dir, "/etc/phiguard/rules.d");
  EXPECT_FALSE(config.value().audit.enabled);
  EXPECT_EQ(config.value().audit.syslog_socket, "/dev/log");
  const auto missing = LoadHostConfig("/nonexistent/phiguard/config.json");
  ASSERT_TRUE(missing.ok());
  EXPECT_TRUE(missing.value().bundle_url.empty());
}

// Each bad field is named and ignored; the valid rest of the file stays in force (the
// whole file was once dropped for one typo: audit, keys and updates off together).
TEST(HostConfig, NamesEachBadFieldAndKeepsTheValidRest) {
  const struct {
    const char* bad;     // one bad field, spliced into an otherwise valid file
    const char* reason;  // what the problem says
  } cases[] = {
      {R"("trusted_key": ["BBBB"])", "unknown field 'trusted_key'"},
      {R"("update_interval_seconds": 0)", "'update_interval_seconds' must be a whole number"},
      {R"("update_jitter_seconds": "60")", "'update_jitter_seconds' must be a whole number"},
      {R"("bundle_url": 7)", "'bundle_url' must be a string"},
      {R"("allow_below_protection_floor": "yes")", "'allow_below_protection_floor' must be true"},
      {R"("audit_typo": {})", "unknown field 'audit_typo'"},
  };
  for (const auto& c : cases) {
    const std::string text = std::string(R"({"trusted_keys": ["AAAA"], "bundle_path": "/mnt/b",
        "audit": {"enabled": true, "max_files": 3}, )") +
                             c.bad + "}";
    const auto config = ParseHostConfig(text, "config.json");
    ASSERT_TRUE(config.ok()) << c.bad;
    const auto& problems = config.value().problems;
    ASSERT_EQ(problems.size(), 1u) << c.bad;
    EXPECT_NE(problems[0].find(c.reason), std::string::npos) << problems[0];
    EXPECT_NE(problems[0].find("ignored"), std::string::npos) << problems[0];
    EXPECT_EQ(config.value().trusted_keys, std::vector<std::string>{"AAAA"}) << c.bad;
    EXPECT_EQ(config.value().bundle_path, "/mnt/b") << c.bad;
    EXPECT_TRUE(config.value().audit.enabled) << c.bad;
    EXPECT_EQ(config.value().audit.max_files, 3u) << c.bad;
    EXPECT_FALSE(config.value().allow_below_protection_floor) << c.bad;
  }
}

TEST(HostConfig, BadAuditFieldsAndKeysAreIgnoredOneByOne) {
  const auto config = ParseHostConfig(R"({"trusted_keys": ["AAAA", 5, "CCCC"],
      "audit": {"enabled": true, "enable": true, "syslog_socket": "dev/log", "max_files": 4}})",
                                      "config.json");
  ASSERT_TRUE(config.ok());
  const auto& c = config.value();
  EXPECT_EQ(c.trusted_keys, (std::vector<std::string>{"AAAA", "CCCC"}));
  EXPECT_TRUE(c.audit.enabled);
  EXPECT_EQ(c.audit.max_files, 4u);
  EXPECT_EQ(c.audit.syslog_socket, "/dev/log");  // the default, the bad value ignored
  ASSERT_EQ(c.problems.size(), 3u);
  EXPECT_NE(c.problems[0].find("'trusted_keys' entry 2"), std::string::npos) << c.problems[0];
  EXPECT_NE(c.problems[1].find("unknown field 'audit.enable'"), std::string::npos);
  EXPECT_NE(c.problems[2].find("'audit.syslog_socket' must be an absolute"), std::string::npos);
}

TEST(HostConfig, AllowListKeepsItsStringsAndNamesOthersWithoutQuotingThem) {
  const auto config = ParseHostConfig(
      R"({"allow_list": ["Jordan Rivera", {"name": "Ana Ortiz"}, "(555) 555-2000"]})",
      "config.json");
  ASSERT_TRUE(config.ok());
  const auto& c = config.value();
  EXPECT_EQ(c.allow_list, (std::vector<std::string>{"Jordan Rivera", "(555) 555-2000"}));
  ASSERT_EQ(c.problems.size(), 1u);
  EXPECT_NE(c.problems[0].find("'allow_list' entry 2"), std::string::npos) << c.problems[0];
  EXPECT_EQ(c.problems[0].find("Ortiz"), std::string::npos) << c.problems[0];
  EXPECT_TRUE(ParseHostConfig("{}", "c").value().allow_list.empty());
}

TEST(HostConfig, TextThatIsNotAnObjectIsAnError) {
  for (const char* text : {"[1]", "{", "\"\""}) {
    const auto config = ParseHostConfig(text, "config.json");
    ASSERT_FALSE(config.ok()) << text;
    EXPECT_EQ(config.error().Describe(), "config.json: not a JSON object");
  }
}

}  // namespace
}  // namespace phiguard::config
