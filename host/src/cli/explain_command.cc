// `phiguard rules explain`: which rules fired on a text and why (confidence, the context
// words that moved it, the action after policy). For compliance authoring rules. The text
// and the matches go to this terminal only, never to a log.

#include <algorithm>
#include <iostream>
#include <sstream>

#include "cli/commands.h"
#include "cli/engine_options.h"
#include "engine/engine.h"
#include "util/utf8.h"

namespace phiguard::cli {
namespace {

int RunExplain(const EngineOptions& options) {
  std::ostringstream buffer;
  buffer << std::cin.rdbuf();
  const std::string text = buffer.str();
  if (!util::IsValidUtf8(text)) {
    std::cerr << "phiguard: standard input is not valid UTF-8\n";
    return kExitUsage;
  }
  auto rules = options.Load();
  if (!rules.ok()) {
    std::cerr << "phiguard: " << rules.error().Describe() << "\n";
    return kExitUsage;
  }
  engine::Engine engine(std::move(rules).value(), engine::EditRescans::kOff);
  engine.NameLinkEvidence();
  const auto report = engine.Scan(text);
  std::cout << "verdict: " << policy::ToString(report.verdict) << " (" << report.candidates
            << " candidates from the prefilter, " << report.findings.size() << " findings, "
            << report.scan_us << " us, rules " << report.rules_version << ")\n";
  for (const auto& finding : report.findings) {
    const auto& rule = *finding.rule;
    const auto& span = finding.original;
    std::cout << "\n"
              << rule.id << "  [" << rules::ToString(finding.action) << "]  " << rule.category
              << " / " << rules::ToString(rule.kind) << " / " << rules::ToString(rule.severity)
              << "\n"
              << "  match:      \"" << text.substr(span.byte_start, span.byte_end - span.byte_start)
              << "\" at UTF-16 " << span.utf16_start << "-" << span.utf16_end << "\n"
              << "  confidence: " << finding.confidence << " (base " << rule.confidence << ")\n";
    if (!rule.validate.empty()) std::cout << "  validated:  " << rule.validate << "\n";
    std::cout << "  context:    ";
    if (std::none_of(finding.context_words.begin(), finding.context_words.end(),
                     [](const std::string& word) { return !word.starts_with('+'); })) {
      std::cout << "none";
    }
    for (const auto& word : finding.context_words) {
      if (word.starts_with('+')) continue;  // what linked or combined it: its own lines
      std::cout << (word.starts_with('-') ? "lowered by '" + word.substr(1) + "'"
                                          : "raised by '" + word + "'")
                << "  ";
    }
    std::cout << "\n";
    for (const auto& word : finding.context_words) {
      if (word.starts_with("+linkage:")) std::cout << "  linked by:  " << word.substr(10) << "\n";
      if (word.starts_with("+combined:")) std::cout << "  combined:   " << word.substr(11) << "\n";
      if (word.starts_with("+voice:")) std::cout << "  voice:      " << word.substr(8) << "\n";
    }
    if (finding.action != rule.action) {
      std::cout << "  action:     " << rules::ToString(rule.action) << " in the rule, "
                << rules::ToString(finding.action) << " after linkage and policy\n";
    }
    std::cout << "  why:        " << rule.message << "\n";
  }
  return report.findings.empty() ? kExitClean : kExitFindings;
}

}  // namespace

void AddExplainCommand(CLI::App& rules, int& exit_code) {
  auto options = std::make_shared<EngineOptions>();
  auto* explain = rules.add_subcommand(
      "explain", "Read text on standard input and show which rules fired and why");
  options->AddTo(*explain);
  explain->callback([options, &exit_code] { exit_code = RunExplain(*options); });
}

}  // namespace phiguard::cli
