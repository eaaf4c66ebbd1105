#include "audit/audit_report.h"

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>

#include "audit/audit_event.h"

namespace phiguard::audit {
namespace {

using nlohmann::json;

bool Digits(std::string_view text, std::size_t from, std::size_t count) {
  return std::all_of(text.begin() + from, text.begin() + from + count,
                     [](char c) { return c >= '0' && c <= '9'; });
}

// Exactly the form NowUtc() writes; fields in range (the calendar is not checked further:
// the bound is compared as text, so 02-30 only has to sort correctly, which it does).
bool IsRecordTime(std::string_view t) {
  if (t.size() != 20 || t[4] != '-' || t[7] != '-' || t[10] != 'T' || t[13] != ':' ||
      t[16] != ':' || t[19] != 'Z') {
    return false;
  }
  if (!Digits(t, 0, 4) || !Digits(t, 5, 2) || !Digits(t, 8, 2) || !Digits(t, 11, 2) ||
      !Digits(t, 14, 2) || !Digits(t, 17, 2)) {
    return false;
  }
  const auto two = [&](std::size_t at) { return (t[at] - '0') * 10 + (t[at + 1] - '0'); };
  return two(5) >= 1 && two(5) <= 12 && two(8) >= 1 && two(8) <= 31 && two(11) <= 23 &&
         two(14) <= 59 && two(17) <= 60;
}

// What audit.device_identity writes (audit/device_identity.h): letters, digits and . _ - : /
bool IsDevice(std::string_view value) {
  return !value.empty() && value.size() <= 255 &&
         std::all_of(value.begin(), value.end(), [](char c) {
           return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-' ||
                  c == ':' || c == '/';
         });
}

void Count(ReportCounts& counts, const std::string& dimension, const std::string& value) {
  ++counts.by[dimension][value];
}

// Values by count, most first, then by name: the order a reader looks for.
std::vector<std::pair<std::string, std::size_t>> Ranked(
    const std::map<std::string, std::size_t>& values) {
  std::vector<std::pair<std::string, std::size_t>> out(values.begin(), values.end());
  std::stable_sort(out.begin(), out.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  return out;
}

// The order dimensions are printed in.
constexpr std::string_view kDimensions[] = {"category", "rule",          "site",          "outcome",
                                            "verdict",  "justification", "rules_version", "device"};

std::string CsvField(const std::string& value) {
  if (value.find_first_of(",\"\n") == std::string::npos) return value;
  std::string out = "\"";
  for (char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace

util::Result<std::string> ParseTimeBound(std::string_view text, bool end_of_day) {
  std::string bound{text};
  if (bound.size() == 10) bound += end_of_day ? "T23:59:59Z" : "T00:00:00Z";
  if (!IsRecordTime(bound)) {
    return util::Error{std::string{text}, "not a UTC time: use YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ"};
  }
  return bound;
}

void ReportBuilder::AddLine(std::string_view line) {
  if (line.empty()) return;
  const json record = json::parse(line, nullptr, /*allow_exceptions=*/false);
  const auto time = record.is_object() ? record.find("time") : json::const_iterator{};
  if (!record.is_object() || time == record.end() || !time->is_string() ||
      !IsRecordTime(time->get_ref<const std::string&>())) {
    ++counts_.skipped;
    return;
  }
  auto event = ParseAuditEvent(record);
  const auto device = record.find("device");
  const bool device_ok = device == record.end() ||
                         (device->is_string() && IsDevice(device->get_ref<const std::string&>()));
  if (!event.ok() || !device_ok) {
    ++counts_.skipped;
    return;
  }
  const auto& when = time->get_ref<const std::string&>();
  if (!filter_.since.empty() && when < filter_.since) return;
  if (!filter_.until.empty() && when > filter_.until) return;
  const auto& e = event.value();
  if (!filter_.outcome.empty() && e.outcome != filter_.outcome) return;
  ++counts_.records;
  for (const auto& category : e.categories) Count(counts_, "category", category);
  for (const auto& rule : e.rules) Count(counts_, "rule", rule);
  Count(counts_, "site", e.site);
  Count(counts_, "outcome", e.outcome);
  Count(counts_, "verdict", e.verdict);
  if (!e.justification.empty()) Count(counts_, "justification", e.justification);
  if (!e.rules_version.empty()) Count(counts_, "rules_version", e.rules_version);
  if (device != record.end()) Count(counts_, "device", device->get<std::string>());
}

util::Result<bool> ReportBuilder::AddFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return util::Error{path.string(), "cannot open"};
  // Fixed-size reads: a file of one endless line costs a buffer, not its size in memory.
  std::string pending;
  bool overlong = false;
  std::vector<char> buffer(64 * 1024);
  while (in) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    std::string_view chunk(buffer.data(), static_cast<std::size_t>(in.gcount()));
    while (!chunk.empty()) {
      const auto newline = chunk.find('\n');
      const auto piece = chunk.substr(0, newline);
      if (!overlong) {
        if (pending.size() + piece.size() > kMaxRecordBytes) {
          overlong = true;
          pending.clear();
        } else {
          pending.append(piece);
        }
      }
      if (newline == std::string_view::npos) break;
      if (overlong) {
        ++counts_.skipped;
      } else {
        AddLine(pending);
      }
      pending.clear();
      overlong = false;
      chunk.remove_prefix(newline + 1);
    }
  }
  if (in.bad()) return util::Error{path.string(), "read error"};
  if (overlong) {
    ++counts_.skipped;
  } else {
    AddLine(pending);
  }
  return true;
}

std::vector<std::filesystem::path> RotatedFiles(const std::filesystem::path& current,
                                                std::size_t max_files) {
  std::vector<std::filesystem::path> out;
  const auto stem = current.stem().string();
  const auto extension = current.extension().string();
  for (std::size_t n = max_files; n >= 1; --n) {
    auto rotated = current.parent_path() / (stem + "." + std::to_string(n) + extension);
    std::error_code ec;
    if (std::filesystem::is_regular_file(rotated, ec)) out.push_back(std::move(rotated));
  }
  std::error_code ec;
  if (std::filesystem::is_regular_file(current, ec)) out.push_back(current);
  return out;
}

std::string FormatTable(const ReportCounts& counts, const ReportFilter& filter) {
  std::string out = "audit records: " + std::to_string(counts.records) + " (from " +
                    (filter.since.empty() ? "the first" : filter.since) + " to " +
                    (filter.until.empty() ? "the last" : filter.until) +
                    (filter.outcome.empty() ? "" : ", outcome " + filter.outcome) + ")\n";
  if (counts.skipped) {
    out += "skipped: " + std::to_string(counts.skipped) + " line(s) that are not valid records\n";
  }
  std::size_t width = 5;
  for (const auto& [dimension, values] : counts.by) {
    for (const auto& [value, n] : values) width = std::max(width, value.size());
  }
  for (const auto dimension : kDimensions) {
    const auto it = counts.by.find(std::string{dimension});
    if (it == counts.by.end()) continue;
    out += "\n" + std::string{dimension} + "\n";
    for (const auto& [value, n] : Ranked(it->second)) {
      out += "  " + value + std::string(width - value.size() + 2, ' ') + std::to_string(n) + "\n";
    }
  }
  return out;
}

std::string FormatCsv(const ReportCounts& counts) {
  std::string out = "dimension,value,count\n";
  for (const auto dimension : kDimensions) {
    const auto it = counts.by.find(std::string{dimension});
    if (it == counts.by.end()) continue;
    for (const auto& [value, n] : Ranked(it->second)) {
      out += std::string{dimension} + "," + CsvField(value) + "," + std::to_string(n) + "\n";
    }
  }
  return out;
}

std::string FormatJson(const ReportCounts& counts, const ReportFilter& filter) {
  json by = json::object();
  for (const auto& [dimension, values] : counts.by) by[dimension] = values;
  json out = {{"records", counts.records}, {"skipped", counts.skipped}, {"counts", by}};
  out["since"] = filter.since.empty() ? json(nullptr) : json(filter.since);
  out["until"] = filter.until.empty() ? json(nullptr) : json(filter.until);
  if (!filter.outcome.empty()) out["outcome"] = filter.outcome;
  return out.dump(2) + "\n";
}

}  // namespace phiguard::audit
