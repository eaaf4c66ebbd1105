#include "audit/audit_event.h"

#include <gtest/gtest.h>

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

TEST(AuditEvent, RequiresSiteVerdictAndOutcome) {
  for (const char* field : {"site", "verdict", "outcome"}) {
    json event = kValid;
    event.erase(field);
    EXPECT_FALSE(ParseAuditEvent(event).ok()) << field;
  }
}

}  // namespace
}  // namespace phiguard::audit
