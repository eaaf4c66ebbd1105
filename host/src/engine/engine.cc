#include "engine/engine.h"

namespace phiguard::engine {

Engine::Engine(std::shared_ptr<const scan::CompiledRules> rules)
    : scanner_(std::make_unique<scan::Scanner>(std::move(rules))) {}

void Engine::ReplaceRules(std::shared_ptr<const scan::CompiledRules> rules) {
  // Build the new scanner (and its scratch) first: if that throws, the old set stays.
  auto next = std::make_unique<scan::Scanner>(std::move(rules));
  scanner_ = std::move(next);
}

ScanReport Engine::Scan(std::string_view text) {
  const auto started = std::chrono::steady_clock::now();
  auto output = scanner_->Scan(text);
  ScanReport report;
  report.findings = std::move(output.findings);
  report.candidates = output.candidates;
  report.verdict = policy::Decide(report.findings, overrides_);
  report.rules_version = scanner_->rules().version();
  report.scan_us = static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() -
                                                            started)
          .count());
  return report;
}

}  // namespace phiguard::engine
