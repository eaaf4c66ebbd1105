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
              "max_files": 2, "syslog_socket": "/run/systemd/journal/dev-log"}})",
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

TEST(HostConfig, RejectsWhatWouldSilentlyWeakenUpdates) {
  const struct {
    const char* json;
    const char* reason;
  } cases[] = {
      {R"({"trusted_key": ["AAAA"]})", "unknown field 'trusted_key'"},
      {R"({"trusted_keys": "AAAA"})", "'trusted_keys'"},
      {R"({"update_interval_seconds": 0})", "'update_interval_seconds'"},
      {R"({"audit": {"enable": true}})", "unknown field 'audit.enable'"},
      {R"({"audit": {"syslog_socket": "dev/log"}})", "'audit.syslog_socket' must be an absolute"},
      {R"([1])", "not a JSON object"},
  };
  for (const auto& c : cases) {
    const auto config = ParseHostConfig(c.json, "config.json");
    ASSERT_FALSE(config.ok()) << c.json;
    EXPECT_NE(config.error().reason.find(c.reason), std::string::npos) << config.error().Describe();
    EXPECT_EQ(config.error().where, "config.json");
  }
}

}  // namespace
}  // namespace phiguard::config
