#include "audit/audit_event.h"

#include <gtest/gtest.h>

#include "audit/device_identity.h"

namespace phiguard::audit {
namespace {

using nlohmann::json;

const json kValid = {{"site", "x.com"},
                     {"verdict", "warn"},
                     {"outcome", "posted_anyway"},
                     {"justification", "consent_on_file"},
                     {"rules", {"phi.phone"}},
                     {"categories", {"phone"}},
                     {"rules_version", "phi-identifiers@1.0.0+bundle@2026.11.22"}};

TEST(AuditEvent, ValidEventBecomesAContentFreeRecord) {
  const auto event = ParseAuditEvent(kValid);
  ASSERT_TRUE(event.ok()) << event.error().Describe();
  const json record = json::parse(ToRecord(event.value(), "2026-11-22T12:00:00Z"));
  EXPECT_EQ(record["time"], "2026-11-22T12:00:00Z");
  EXPECT_EQ(record["outcome"], "posted_anyway");
  EXPECT_EQ(record["rules"], json({"phi.phone"}));
  EXPECT_EQ(record.size(), 8u);  // nothing beyond the known fields
}

TEST(AuditEvent, TextInAnyFieldIsRefusedAndNeverEchoed) {
  const std::string canary = "Zebediah Quillfeather 219-44-7816";
  for (const char* field : {"site", "verdict", "outcome", "justification", "rules_version"}) {
    json event = kValid;
    event[field] = canary;
    const auto parsed = ParseAuditEvent(event);
    ASSERT_FALSE(parsed.ok()) << field;
    EXPECT_EQ(parsed.error().Describe().find("Quillfeather"), std::string::npos);
  }
  for (const char* field : {"rules", "categories"}) {
    json event = kValid;
    event[field] = json::array({canary});
    const auto parsed = ParseAuditEvent(event);
    ASSERT_FALSE(parsed.ok()) << field;
    EXPECT_EQ(parsed.error().Describe().find("Quillfeather"), std::string::npos);
  }
}

TEST(AuditEvent, UnknownFieldsNeverReachTheRecord) {
  json event = kValid;
  event["text"] = "Zebediah Quillfeather";
  const auto parsed = ParseAuditEvent(event);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(ToRecord(parsed.value(), "t").find("Quillfeather"), std::string::npos);
}

// The popup's "Report a false alarm": the last check's rules and categories, nothing else.
TEST(AuditEvent, FalseAlarmReportIsAnOutcome) {
  json event = kValid;
  event["outcome"] = "false_alarm";
  event.erase("justification");
  const auto parsed = ParseAuditEvent(event);
  ASSERT_TRUE(parsed.ok()) << parsed.error().Describe();
  const json record = json::parse(ToRecord(parsed.value(), "2026-12-05T12:00:00Z"));
  EXPECT_EQ(record["outcome"], "false_alarm");
  EXPECT_EQ(record["categories"], json({"phone"}));
  EXPECT_FALSE(record.contains("justification"));
}

TEST(AuditEvent, RequiresSiteVerdictAndOutcome) {
  for (const char* field : {"site", "verdict", "outcome"}) {
    json event = kValid;
    event.erase(field);
    EXPECT_FALSE(ParseAuditEvent(event).ok()) << field;
  }
}

TEST(DeviceIdentity, NoneHashedOrInClear) {
  using config::DeviceIdentity;
  EXPECT_EQ(DeviceIdentityValue(DeviceIdentity::kNone, "ward-7", "rtran"), "");
  EXPECT_EQ(DeviceIdentityValue(DeviceIdentity::kHostnameUser, "ward-7", "rtran"), "ward-7/rtran");
  // Characters a record field must not carry are replaced.
  EXPECT_EQ(DeviceIdentityValue(DeviceIdentity::kHostnameUser, "ward 7", "r\"tran"),
            "ward_7/r_tran");
  const auto hashed = DeviceIdentityValue(DeviceIdentity::kHashed, "ward-7", "rtran");
  EXPECT_EQ(hashed.size(), 34u);
  EXPECT_EQ(hashed.rfind("h:", 0), 0u);
  EXPECT_EQ(hashed.find("rtran"), std::string::npos);
  EXPECT_EQ(hashed, DeviceIdentityValue(DeviceIdentity::kHashed, "ward-7", "rtran"));
  EXPECT_NE(hashed, DeviceIdentityValue(DeviceIdentity::kHashed, "ward-7", "jdoe"));
}

TEST(DeviceIdentity, InTheRecordOnlyWhenSet) {
  auto event = ParseAuditEvent(kValid).value();
  EXPECT_FALSE(json::parse(ToRecord(event, "2026-12-01T10:00:00Z")).contains("device"));
  event.device = "h:00";
  EXPECT_EQ(json::parse(ToRecord(event, "2026-12-01T10:00:00Z"))["device"], "h:00");
  // A request cannot set it.
  auto with_device = kValid;
  with_device["device"] = "spoofed";
  EXPECT_EQ(ParseAuditEvent(with_device).value().device, "");
}

}  // namespace
}  // namespace phiguard::audit
