#include "engine/engine.h"

#include "scan/piecewise_scan.h"
#include "util/allocator_tuning.h"

namespace phiguard::engine {
namespace {

// Not from a pack: the finding that says the rest of a text was not checked. Category
// other_id, kind phi: the unchecked text may hold any identifier, and policy can tighten
// other_id to block like any category (docs/protocol.md says why this shape).
const rules::Rule& ScanCappedRule() {
  static const rules::Rule rule = [] {
    rules::Rule r;
    r.id = std::string(kScanCappedRuleId);
    r.title = "Text not fully checked";
    r.category = "other_id";
    r.kind = rules::Kind::kPhi;
    r.severity = rules::Severity::kMedium;
    r.action = rules::Action::kWarn;
    r.message =
        "This text has more possible identifiers than PHI Guard checks in one pass, so the rest "
        "of it was not checked.";
    r.advice = "Check the text in smaller parts, or remove long lists of numbers before posting.";
    return r;
  }();
  return rule;
}

// The finding for a capped scan: on the text's last character, so it has a place to be
// shown, and reported after every finding of the rules.
scan::Finding CappedFinding(std::string_view text) {
  scan::Finding finding;
  finding.rule = &ScanCappedRule();
  finding.action = rules::Action::kWarn;
  finding.confidence = 1.0;
  std::size_t last = text.size();
  while (last > 0 && (static_cast<unsigned char>(text[last - 1]) & 0xC0) == 0x80) --last;
  if (last > 0) --last;  // the lead byte of the last code point
  std::uint32_t utf16 = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if ((byte & 0xC0) != 0x80) utf16 += byte >= 0xF0 ? 2 : 1;
  }
  const std::uint32_t last_width =
      text.empty() ? 0 : (static_cast<unsigned char>(text[last]) >= 0xF0 ? 2 : 1);
  finding.start = last;
  finding.end = text.size();
  finding.original = {static_cast<std::uint32_t>(last), static_cast<std::uint32_t>(text.size()),
                      utf16 - last_width, utf16};
  return finding;
}

}  // namespace

Engine::Engine(std::shared_ptr<const scan::CompiledRules> rules, EditRescans rescans)
    : scanner_(std::make_unique<scan::Scanner>(std::move(rules))) {
  if (rescans == EditRescans::kOn) rescanner_ = std::make_unique<scan::EditRescanner>(*scanner_);
}

void Engine::ReplaceRules(std::shared_ptr<const scan::CompiledRules> rules) {
  // Build the new scanner (and its scratch) first: if that throws, the old set stays. The
  // earlier texts go with the old rules: their findings are the old rules' findings.
  auto next = std::make_unique<scan::Scanner>(std::move(rules));
  next->NameLinkEvidence(name_evidence_);
  next->SetAllowList(allow_list_);
  auto next_rescanner = rescanner_ ? std::make_unique<scan::EditRescanner>(*next) : nullptr;
  rescanner_ = std::move(next_rescanner);
  scanner_ = std::move(next);
}

void Engine::SetAllowList(std::shared_ptr<const scan::AllowList> allow_list) {
  allow_list_ = std::move(allow_list);
  scanner_->SetAllowList(allow_list_);
  // The texts kept for edit rescans carry findings of the old list; a new list starts afresh.
  if (rescanner_) rescanner_ = std::make_unique<scan::EditRescanner>(*scanner_);
}

ScanReport Engine::Scan(std::string_view text, ScanScope scope) {
  const auto started = std::chrono::steady_clock::now();
  return Report(text, rescanner_ ? rescanner_->Scan(text) : scanner_->Scan(text), scope, started);
}

ScanReport Engine::ScanInPieces(std::string_view text, std::size_t piece_bytes, ScanScope scope) {
  const auto started = std::chrono::steady_clock::now();
  return Report(text, scan::ScanInPieces(*scanner_, text, piece_bytes), scope, started);
}

void Engine::ReleaseIdleMemory() {
  // Freed RE2 memory lies between live blocks, where glibc keeps it (up to 8 MiB is kept
  // for reuse, util/allocator_tuning.h); a release this large is worth the pass that hands
  // its whole pages back. The next large scan faults its buffers in again.
  constexpr std::size_t kReturnAfterBytes = std::size_t{1} << 20;
  if (scanner_->ReleaseRegexes(kIdleRegexBytes) >= kReturnAfterBytes) util::ReturnFreePages();
}

ScanReport Engine::Report(std::string_view text, scan::ScanOutput output, ScanScope scope,
                          std::chrono::steady_clock::time_point started) const {
  ScanReport report;
  report.findings = std::move(output.findings);
  // Scope filters after the scan, so the edit rescanner's remembered findings stay valid
  // for any scope; only policy rules can be scoped (rules/pack_loader.cc), and linkage
  // never reads them.
  std::erase_if(report.findings, [&](const scan::Finding& finding) {
    return !rules::AppliesTo(*finding.rule, scope.site, scope.surface);
  });
  report.candidates = output.candidates;
  // A scan cut short must never look like a clean one (it once returned allow with no
  // flag, whatever came after the cap).
  report.capped = output.capped;
  if (report.capped && !text.empty()) report.findings.push_back(CappedFinding(text));
  report.verdict = policy::Decide(report.findings, overrides_);
  report.rules_version = scanner_->rules().version();
  report.scan_us = static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(
                                                  std::chrono::steady_clock::now() - started)
                                                  .count());
  return report;
}

}  // namespace phiguard::engine
