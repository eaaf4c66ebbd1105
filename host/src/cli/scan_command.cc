// `phiguard scan`: the linter-style front end to the same engine the host runs.

#include <iostream>
#include <map>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/engine_options.h"
#include "cli/input_files.h"
#include "protocol/limits.h"
#include "protocol/messages.h"
#include "scan/allow_list.h"
#include "service/scan_service.h"
#include "util/line_column.h"
#include "util/utf8.h"

namespace phiguard::cli {
namespace {

using nlohmann::json;

// The most `phiguard scan` scans at once: files of any size are read, the host's limit
// (protocol::kMaxTextBytes) is for one scan. NOTE: smaller than that limit because the
// scanner stops collecting raw matches at 200,000 per scan: 4 MB of dense staff posts
// (15,000 findings per MB) reached it and lost the findings past it, while 1 MiB pieces
// stay well under it at the cost of 0.6 % rescanned margins.
constexpr std::size_t kPieceBytes = 1024 * 1024;
static_assert(kPieceBytes <= protocol::kMaxTextBytes);

struct ScanOptions {
  std::vector<std::string> files;
  bool json_output = false;
  bool jsonl_input = false;
  bool count_only = false;  // --count: only the summary line, as `rg --count` or `grep -c`
  std::string fail_on = "warn";
  std::string site;     // --site: as the extension names it; a JSON line's "site" wins
  std::string surface;  // --surface: compose or review_reply; a JSON line's "surface" wins
  EngineOptions engine;
};

class ScanRun {
 public:
  ScanRun(const ScanOptions& options, service::ScanService& scans)
      : options_(options), scans_(scans) {
    if (options.fail_on != "never") threshold_ = *rules::ParseAction(options.fail_on);
  }

  void ScanText(const std::string& name, const std::string& text, const json* id = nullptr,
                const json* record = nullptr);
  void ScanJsonLines(const std::string& name, const std::string& content);
  void InputError(const std::string& message) {
    std::cerr << "phiguard: " << message << "\n";
    input_error_ = true;
  }
  void PrintSummary() const;
  int ExitCode() const {
    if (input_error_) return kExitUsage;
    return failing_ ? kExitFindings : kExitClean;
  }

 private:
  void PrintHuman(const std::string& name, const std::string& text,
                  const engine::ScanReport& report);

  const ScanOptions& options_;
  service::ScanService& scans_;
  std::optional<rules::Action> threshold_;
  bool failing_ = false;
  bool input_error_ = false;
  std::size_t inputs_ = 0;
  std::map<std::string, std::size_t> by_action_;
};

// A JSON line's own string `field`, else the command line's.
std::string_view ScopeField(const json* record, const char* field, const std::string& fallback) {
  if (record) {
    const auto it = record->find(field);
    if (it != record->end() && it->is_string()) return it->get_ref<const std::string&>();
  }
  return fallback;
}

void ScanRun::ScanText(const std::string& name, const std::string& text, const json* id,
                       const json* record) {
  if (!util::IsValidUtf8(text)) {
    InputError(name + ": not valid UTF-8");
    return;
  }
  ++inputs_;
  // Long texts are scanned in overlapping pieces, with the findings a whole scan gives
  // (scan/piecewise_scan.h); shorter ones are scanned whole.
  const auto report = scans_.Scan({.text = text,
                                   .site = ScopeField(record, "site", options_.site),
                                   .surface = ScopeField(record, "surface", options_.surface)});
  for (const auto& finding : report.findings) {
    if (threshold_ && finding.action >= *threshold_) failing_ = true;
    ++by_action_[std::string(rules::ToString(finding.action))];
  }
  if (options_.count_only) return;
  if (options_.json_output || options_.jsonl_input) {
    const protocol::ResultFields fields{
        .id = id, .file = options_.jsonl_input ? nullptr : &name, .byte_offsets = true};
    std::cout << protocol::ResultReply(report, fields) << "\n";
  } else {
    PrintHuman(name, text, report);
  }
}

void ScanRun::PrintHuman(const std::string& name, const std::string& text,
                         const engine::ScanReport& report) {
  // Findings come in text order: the cursor walks the text once, not once per finding.
  util::LineColumnCursor cursor(text);
  for (const auto& finding : report.findings) {
    const auto [line, column] = cursor.At(finding.original.byte_start);
    std::cout << name << ":" << line << ":" << column << ": "
              << rules::ToString(finding.rule->severity) << " " << finding.rule->id << ": "
              << finding.rule->message << " [" << rules::ToString(finding.action) << "]\n";
  }
}

void ScanRun::ScanJsonLines(const std::string& name, const std::string& content) {
  std::size_t line_number = 0;
  std::size_t start = 0;
  while (start < content.size()) {
    std::size_t end = content.find('\n', start);
    if (end == std::string::npos) end = content.size();
    const std::string_view line(content.data() + start, end - start);
    start = end + 1;
    ++line_number;
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    const json record = json::parse(line, nullptr, /*allow_exceptions=*/false);
    const std::string where = name + ":" + std::to_string(line_number);
    if (record.is_discarded() || !record.is_object() || !record.contains("text") ||
        !record["text"].is_string()) {
      json error = protocol::ErrorReply(protocol::ErrorCode::kBadRequest,
                                        "each line must be an object with a string 'text'");
      error["line"] = line_number;
      if (record.is_object() && record.contains("id")) error["id"] = record["id"];
      std::cout << protocol::Serialize(error) << "\n";
      InputError(where + ": each line must be an object with a string 'text'");
      continue;
    }
    const json* id = record.contains("id") ? &record["id"] : nullptr;
    ScanText(where, record["text"].get_ref<const std::string&>(), id, &record);
  }
}

void ScanRun::PrintSummary() const {
  if ((options_.json_output || options_.jsonl_input) && !options_.count_only) return;
  std::size_t total = 0;
  std::string parts;
  for (const auto& [action, count] : by_action_) {
    total += count;
    parts += (parts.empty() ? "" : ", ") + std::to_string(count) + " " + action;
  }
  std::cout << total << (total == 1 ? " finding" : " findings");
  if (total) std::cout << " (" << parts << ")";
  std::cout << " in " << inputs_ << (inputs_ == 1 ? " input" : " inputs") << "\n";
}

int RunScan(const ScanOptions& options) {
  auto rules = options.engine.Load();
  if (!rules.ok()) {
    std::cerr << "phiguard: " << rules.error().Describe() << "\n";
    return kExitUsage;
  }
  service::ScanService scans(
      std::make_unique<engine::Engine>(std::move(rules).value(), engine::EditRescans::kOff), {},
      nullptr, kPieceBytes);
  // The machine's allow-list, as the host starts with it (host_cli_parity); the browser
  // policy's list reaches only the host.
  if (auto allow_list = options.engine.AllowList(); !allow_list.empty()) {
    scans.SetAllowList(std::make_shared<const scan::AllowList>(allow_list));
  }
  ScanRun run(options, scans);
  for (const auto& path : InputsOrStdin(options.files)) {
    std::string error;
    const auto input = ReadInput(path, error);
    if (!input) {
      run.InputError(error);
      continue;
    }
    if (options.jsonl_input) {
      run.ScanJsonLines(input->name, input->text);
    } else {
      run.ScanText(input->name, input->text);
    }
  }
  run.PrintSummary();
  return run.ExitCode();
}

}  // namespace

void AddScanCommand(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<ScanOptions>();
  auto* command = app.add_subcommand(
      "scan", "Scan text from files (or standard input) and print findings like a linter");
  command->add_option("files", options->files, "Files to scan; none or '-' reads standard input");
  command->add_flag("--json", options->json_output,
                    "Print the protocol's result object per input (with byte offsets)");
  command->add_flag("--jsonl", options->jsonl_input,
                    "Read JSON lines {\"id\",\"text\"} (optional \"site\", \"surface\"); write one "
                    "result line per input line");
  command->add_flag("--count", options->count_only,
                    "Print only the summary line (findings per action, inputs); for bulk checks");
  command->add_option("--site", options->site,
                      "Host name of the site the text is for, as the extension sends it (x.com)");
  command
      ->add_option("--surface", options->surface,
                   "Where on the site: compose or review_reply (review-reply rules apply only "
                   "there); default: every pack applies")
      ->check(CLI::IsMember({"compose", "review_reply"}));
  command
      ->add_option("--fail-on", options->fail_on,
                   "Exit 1 when a finding's action is at or above this level")
      ->check(CLI::IsMember({"info", "warn", "block", "never"}))
      ->capture_default_str();
  options->engine.AddTo(*command);
  command->callback([options, &exit_code] { exit_code = RunScan(*options); });
}

}  // namespace phiguard::cli
