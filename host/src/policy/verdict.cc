#include "policy/verdict.h"

#include <algorithm>

namespace phiguard::policy {

std::string_view ToString(Verdict verdict) {
  switch (verdict) {
    case Verdict::kAllow:
      return "allow";
    case Verdict::kWarn:
      return "warn";
    case Verdict::kBlock:
      return "block";
  }
  return "allow";
}

namespace {

// A linked identifier that warns: a name, a date, a place, a room. Direct identifiers block
// already; info findings were not tied to a patient and health information.
bool IsLinkedWarning(const scan::Finding& f) {
  return !f.audited && f.rule->kind == rules::Kind::kPhi &&
         f.rule->linkage != rules::Linkage::kNone && f.action == rules::Action::kWarn;
}

// Findings are few (a post's worth; a long paste keeps the window check local because
// findings are in text order and the inner loop stops past the window).
void ApplyCombinationSeverity(std::vector<scan::Finding>& findings) {
  std::vector<std::size_t> linked;
  for (std::size_t i = 0; i < findings.size(); ++i) {
    if (IsLinkedWarning(findings[i])) linked.push_back(i);
  }
  std::sort(linked.begin(), linked.end(),
            [&](std::size_t a, std::size_t b) { return findings[a].start < findings[b].start; });
  std::vector<bool> combined(findings.size(), false);
  for (std::size_t a = 0; a < linked.size(); ++a) {
    const auto& first = findings[linked[a]];
    for (std::size_t b = a + 1; b < linked.size(); ++b) {
      const auto& second = findings[linked[b]];
      if (second.start > first.end + kCombinedWindowBytes) break;
      if (first.rule->category != second.rule->category &&
          scan::GapBetween(first, second) <= kCombinedWindowBytes) {
        combined[linked[a]] = combined[linked[b]] = true;
      }
    }
  }
  for (std::size_t i = 0; i < findings.size(); ++i) {
    if (!combined[i]) continue;
    findings[i].action = rules::Action::kBlock;
    findings[i].context_words.emplace_back("+combined: with another identifier of the patient");
  }
}

}  // namespace

Verdict Decide(std::vector<scan::Finding>& findings, const PolicyOverrides& overrides) {
  for (auto& finding : findings) {
    finding.audited = overrides.audited.contains(finding.rule->category);
    if (finding.audited) continue;
    if (const auto it = overrides.minimum_action.find(finding.rule->category);
        it != overrides.minimum_action.end()) {
      finding.action = std::max(finding.action, it->second);
    }
  }
  ApplyCombinationSeverity(findings);
  rules::Action strictest = rules::Action::kInfo;
  for (const auto& finding : findings) {
    if (!finding.audited) strictest = std::max(strictest, finding.action);
  }
  switch (strictest) {
    case rules::Action::kBlock:
      return Verdict::kBlock;
    case rules::Action::kWarn:
      return Verdict::kWarn;
    case rules::Action::kInfo:
      break;
  }
  return Verdict::kAllow;
}

}  // namespace phiguard::policy
