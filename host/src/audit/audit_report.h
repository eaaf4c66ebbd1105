#pragma once
// Counting audit records for `phiguard audit report`: how many records per category, rule,
// site, outcome, verdict, justification, rules version and device over a time range. The
// audit file is the user's to write (SECURITY.md), so every line is validated as a record
// the host could have written, and lines that are not are counted, never printed.

#include <cstddef>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "util/error.h"

namespace phiguard::audit {

// Records carry "YYYY-MM-DDTHH:MM:SSZ"; the bounds are inclusive, in that form; empty is
// open.
struct ReportFilter {
  std::string since;
  std::string until;
  std::string outcome;  // only records with this outcome; empty: all
};

// "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM:SSZ" to the record form. A date alone is the day's
// first second, or its last when `end_of_day` (so --until 2026-12-05 includes that day).
util::Result<std::string> ParseTimeBound(std::string_view text, bool end_of_day);

struct ReportCounts {
  std::size_t records = 0;  // valid, in range, counted
  std::size_t skipped = 0;  // lines that are not a valid record
  // dimension ("category", "rule", ...) -> value -> records.
  std::map<std::string, std::map<std::string, std::size_t>> by;
};

// One pass over each file, line by line: time linear in the files' size, memory bounded by
// the longest accepted line (kMaxRecordBytes) plus the distinct values counted.
class ReportBuilder {
 public:
  static constexpr std::size_t kMaxRecordBytes = 64 * 1024;

  explicit ReportBuilder(ReportFilter filter) : filter_(std::move(filter)) {}
  void AddLine(std::string_view line);
  // An error only when the file cannot be opened or read.
  util::Result<bool> AddFile(const std::filesystem::path& path);
  const ReportCounts& counts() const { return counts_; }

 private:
  ReportFilter filter_;
  ReportCounts counts_;
};

// The audit file and its rotated predecessors (audit.1.jsonl ... audit.N.jsonl, as the
// rotating writer names them) that exist, oldest first.
std::vector<std::filesystem::path> RotatedFiles(const std::filesystem::path& current,
                                                std::size_t max_files);

std::string FormatTable(const ReportCounts& counts, const ReportFilter& filter);
std::string FormatCsv(const ReportCounts& counts);
std::string FormatJson(const ReportCounts& counts, const ReportFilter& filter);

}  // namespace phiguard::audit
