#include "engine/engine.h"

#include "scan/piecewise_scan.h"

namespace phiguard::engine {

Engine::Engine(std::shared_ptr<const scan::CompiledRules> rules, EditRescans rescans)
    : scanner_(std::make_unique<scan::Scanner>(std::move(rules))) {
  if (rescans == EditRescans::kOn) rescanner_ = std::make_unique<scan::EditRescanner>(*scanner_);
}

void Engine::ReplaceRules(std::shared_ptr<const scan::CompiledRules> rules) {
  // Build the new scanner (and its scratch) first: if that throws, the old set stays. The
  // earlier texts go with the old rules: their findings are the old rules' findings.
  auto next = std::make_unique<scan::Scanner>(std::move(rules));
  auto next_rescanner = rescanner_ ? std::make_unique<scan::EditRescanner>(*next) : nullptr;
  rescanner_ = std::move(next_rescanner);
  scanner_ = std::move(next);
}

ScanReport Engine::Scan(std::string_view text) {
  const auto started = std::chrono::steady_clock::now();
  return Report(rescanner_ ? rescanner_->Scan(text) : scanner_->Scan(text), started);
}

ScanReport Engine::ScanInPieces(std::string_view text, std::size_t piece_bytes) {
  const auto started = std::chrono::steady_clock::now();
  return Report(scan::ScanInPieces(*scanner_, text, piece_bytes), started);
}

ScanReport Engine::Report(scan::ScanOutput output,
                          std::chrono::steady_clock::time_point started) const {
  ScanReport report;
  report.findings = std::move(output.findings);
  report.candidates = output.candidates;
  report.verdict = policy::Decide(report.findings, overrides_);
  report.rules_version = scanner_->rules().version();
  report.scan_us = static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(
                                                  std::chrono::steady_clock::now() - started)
                                                  .count());
  return report;
}

}  // namespace phiguard::engine
