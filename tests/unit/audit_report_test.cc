#include "audit/audit_report.h"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

namespace phiguard::audit {
namespace {

std::string Record(const std::string& time, const std::string& outcome = "posted_anyway",
                   const std::string& extra = "") {
  return R"({"time":")" + time + R"(","site":"x.com","verdict":"warn","outcome":")" + outcome +
         R"(","rules":["phi.name.patient"],"categories":["name","health"],"rules_version":"v1")" +
         extra + "}";
}

TEST(AuditReport, CountsEachDimension) {
  ReportBuilder builder({});
  builder.AddLine(Record("2026-12-01T10:00:00Z", "posted_anyway", R"(,"justification":"other")"));
  builder.AddLine(Record("2026-12-02T10:00:00Z", "posted", R"(,"device":"h:0a1b2c3d")"));
  const auto& c = builder.counts();
  EXPECT_EQ(c.records, 2u);
  EXPECT_EQ(c.skipped, 0u);
  EXPECT_EQ(c.by.at("category").at("name"), 2u);
  EXPECT_EQ(c.by.at("category").at("health"), 2u);
  EXPECT_EQ(c.by.at("rule").at("phi.name.patient"), 2u);
  EXPECT_EQ(c.by.at("site").at("x.com"), 2u);
  EXPECT_EQ(c.by.at("outcome").at("posted"), 1u);
  EXPECT_EQ(c.by.at("justification").at("other"), 1u);
  EXPECT_EQ(c.by.at("rules_version").at("v1"), 2u);
  EXPECT_EQ(c.by.at("device").at("h:0a1b2c3d"), 1u);
}

TEST(AuditReport, TimeRangeIsInclusiveAndADateMeansTheWholeDay) {
  ReportFilter filter;
  filter.since = ParseTimeBound("2026-12-02", false).value();
  filter.until = ParseTimeBound("2026-12-03", true).value();
  ReportBuilder builder(filter);
  for (const char* t : {"2026-12-01T23:59:59Z", "2026-12-02T00:00:00Z", "2026-12-03T23:59:59Z",
                        "2026-12-04T00:00:00Z"}) {
    builder.AddLine(Record(t));
  }
  EXPECT_EQ(builder.counts().records, 2u);
}

TEST(AuditReport, OutcomeFilter) {
  ReportFilter filter;
  filter.outcome = "posted";
  ReportBuilder builder(filter);
  builder.AddLine(Record("2026-12-01T10:00:00Z", "posted"));
  builder.AddLine(Record("2026-12-01T10:00:00Z", "blocked"));
  EXPECT_EQ(builder.counts().records, 1u);
}

TEST(AuditReport, BadTimeBoundsAreRefused) {
  for (const char* bad : {"", "yesterday", "2026-13-01", "2026-12-01 10:00:00", "2026-12-1",
                          "2026-12-01T10:00:00", "2026-12-01T10:00:00+01:00"}) {
    EXPECT_FALSE(ParseTimeBound(bad, false).ok()) << bad;
  }
  EXPECT_EQ(ParseTimeBound("2026-12-01T10:00:00Z", true).value(), "2026-12-01T10:00:00Z");
}

// A line that is not a record the host could have written is counted as skipped and its
// values are never counted (they could be anything the user wrote into their own file).
TEST(AuditReport, InvalidLinesAreSkippedNotCounted) {
  ReportBuilder builder({});
  builder.AddLine("not json");
  builder.AddLine(
      R"({"time":"2026-12-01T10:00:00Z","site":"Ottoline Barnsworth","verdict":"warn","outcome":"posted"})");
  builder.AddLine(Record("2026-12-01T10:00:00Z", "posted", R"(,"device":"has spaces")"));
  builder.AddLine(Record("12/01/2026"));
  builder.AddLine(
      R"({"time":"2026-12-01T10:00:00Z","site":"x.com","verdict":"warn","outcome":"posted","rules":["Ottoline Barnsworth"]})");
  EXPECT_EQ(builder.counts().records, 0u);
  EXPECT_EQ(builder.counts().skipped, 5u);
  EXPECT_TRUE(builder.counts().by.empty());
}

TEST(AuditReport, ReadsFilesWithOverlongLinesAndNoFinalNewline) {
  const auto path = std::filesystem::temp_directory_path() / "phiguard_audit_report_test.jsonl";
  {
    std::ofstream out(path, std::ios::binary);
    out << Record("2026-12-01T10:00:00Z") << "\n"
        << std::string(ReportBuilder::kMaxRecordBytes + 10, 'x') << "\n\n"
        << Record("2026-12-01T11:00:00Z");
  }
  ReportBuilder builder({});
  ASSERT_TRUE(builder.AddFile(path).ok());
  EXPECT_EQ(builder.counts().records, 2u);
  EXPECT_EQ(builder.counts().skipped, 1u);
  std::filesystem::remove(path);
  EXPECT_FALSE(builder.AddFile(path).ok());
}

TEST(AuditReport, RotatedFilesOldestFirst) {
  const auto dir = std::filesystem::temp_directory_path() / "phiguard_audit_rotated_test";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  for (const char* name : {"audit.jsonl", "audit.1.jsonl", "audit.2.jsonl", "audit.9.jsonl"}) {
    std::ofstream(dir / name) << "\n";
  }
  const auto files = RotatedFiles(dir / "audit.jsonl", 5);
  ASSERT_EQ(files.size(), 3u);
  EXPECT_EQ(files[0].filename(), "audit.2.jsonl");
  EXPECT_EQ(files[1].filename(), "audit.1.jsonl");
  EXPECT_EQ(files[2].filename(), "audit.jsonl");
  std::filesystem::remove_all(dir);
}

TEST(AuditReport, Formats) {
  ReportBuilder builder({});
  builder.AddLine(Record("2026-12-01T10:00:00Z"));
  const auto csv = FormatCsv(builder.counts());
  EXPECT_EQ(csv.rfind("dimension,value,count\ncategory,", 0), 0u) << csv;
  EXPECT_NE(csv.find("\nsite,x.com,1\n"), std::string::npos) << csv;
  const auto json = nlohmann::json::parse(FormatJson(builder.counts(), {}));
  EXPECT_EQ(json["records"], 1);
  EXPECT_EQ(json["counts"]["outcome"]["posted_anyway"], 1);
  EXPECT_TRUE(json["since"].is_null());
  const auto table = FormatTable(builder.counts(), {});
  EXPECT_NE(table.find("audit records: 1"), std::string::npos) << table;
  EXPECT_NE(table.find("\nrule\n  phi.name.patient"), std::string::npos) << table;
}

}  // namespace
}  // namespace phiguard::audit
