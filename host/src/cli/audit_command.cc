// `phiguard audit report`: counts of audit records for the compliance officer, without jq.
// Reads the files the host writes (the configured audit file and its rotated copies) or
// the files named; prints a table, CSV or JSON. Values printed are only those a valid
// record can hold (closed lists and validated names), so a tampered file cannot make the
// report print text.

#include <iostream>
#include <memory>
#include <tuple>

#include "audit/audit_report.h"
#include "cli/commands.h"
#include "config/host_config.h"
#include "util/paths.h"

namespace phiguard::cli {
namespace {

struct ReportOptions {
  std::vector<std::string> files;
  std::string since;
  std::string until;
  std::string outcome;
  bool csv = false;
  bool json = false;
};

// The files the host writes on this machine for this user.
util::Result<std::vector<std::filesystem::path>> DefaultFiles() {
  auto config = config::LoadHostConfig(config::DefaultConfigPath());
  if (!config.ok()) return config.error();
  const auto& audit = config.value().audit;
  auto current = audit.file;
  if (current.empty()) {
    const auto state = util::StateDir();
    if (state.empty()) return util::Error{"audit", "no per-user state folder; name the files"};
    current = state / "audit.jsonl";
  }
  auto files = audit::RotatedFiles(current, audit.max_files);
  if (files.empty()) return util::Error{current.string(), "no audit file here (is audit on?)"};
  return files;
}

int RunReport(const ReportOptions& options) {
  audit::ReportFilter filter;
  for (auto [text, bound, end] : {std::tuple{&options.since, &filter.since, false},
                                  std::tuple{&options.until, &filter.until, true}}) {
    if (text->empty()) continue;
    auto parsed = audit::ParseTimeBound(*text, end);
    if (!parsed.ok()) {
      std::cerr << "phiguard audit report: " << parsed.error().Describe() << "\n";
      return kExitUsage;
    }
    *bound = parsed.value();
  }
  if (!filter.since.empty() && !filter.until.empty() && filter.until < filter.since) {
    std::cerr << "phiguard audit report: --until is before --since\n";
    return kExitUsage;
  }
  filter.outcome = options.outcome;
  std::vector<std::filesystem::path> files(options.files.begin(), options.files.end());
  if (files.empty()) {
    auto found = DefaultFiles();
    if (!found.ok()) {
      std::cerr << "phiguard audit report: " << found.error().Describe() << "\n";
      return kExitUsage;
    }
    files = std::move(found).value();
  }
  audit::ReportBuilder builder(filter);
  for (const auto& file : files) {
    if (auto added = builder.AddFile(file); !added.ok()) {
      std::cerr << "phiguard audit report: " << added.error().Describe() << "\n";
      return kExitUsage;
    }
  }
  if (builder.counts().skipped) {
    // A count only: the lines may hold anything, and are never echoed.
    std::cerr << "phiguard audit report: skipped " << builder.counts().skipped
              << " line(s) that are not valid audit records\n";
  }
  if (options.json) {
    std::cout << audit::FormatJson(builder.counts(), filter);
  } else if (options.csv) {
    std::cout << audit::FormatCsv(builder.counts());
  } else {
    std::cout << audit::FormatTable(builder.counts(), filter);
  }
  return kExitClean;
}

}  // namespace

void AddAuditCommands(CLI::App& app, int& exit_code) {
  auto* audit = app.add_subcommand("audit", "Work with the audit records the host writes");
  audit->require_subcommand(1);
  auto options = std::make_shared<ReportOptions>();
  auto* report = audit->add_subcommand(
      "report",
      "Count audit records per category, rule, site, outcome, verdict, justification, "
      "rules version and device");
  report
      ->add_option("files", options->files,
                   "Audit files (default: this user's audit file and its rotated copies)")
      ->check(CLI::ExistingFile);
  report->add_option("--since", options->since, "First time counted: YYYY-MM-DD[THH:MM:SSZ], UTC");
  report->add_option("--until", options->until,
                     "Last time counted: YYYY-MM-DD (the whole day) or YYYY-MM-DDTHH:MM:SSZ");
  report->add_option("--outcome", options->outcome, "Only records with this outcome")
      ->check(CLI::IsMember(
          {"edited", "posted_anyway", "cancelled", "blocked", "posted", "false_alarm"}));
  auto* csv = report->add_flag("--csv", options->csv, "CSV: dimension,value,count");
  report
      ->add_flag("--json", options->json,
                 "JSON: {records, skipped, counts: {dimension: {value: n}}}")
      ->excludes(csv);
  report->callback([options, &exit_code] { exit_code = RunReport(*options); });
}

}  // namespace phiguard::cli
