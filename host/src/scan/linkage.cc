#include "scan/linkage.h"

#include <algorithm>

namespace phiguard::scan {
namespace {

bool Near(const Finding& a, const Finding& b, bool short_post) {
  if (short_post) return true;
  const std::size_t gap = a.end <= b.start ? b.start - a.end : (b.end <= a.start ? a.start - b.end : 0);
  return gap <= kLinkWindowBytes;
}

// Evidence that the text is about a patient: a cue word, a direct identifier (which only
// patients have in a post: an MRN, an SSN, a plan ID), or a situational patient detail.
bool IsPatientEvidence(const Finding& f) {
  const auto& rule = *f.rule;
  if (rule.kind == rules::Kind::kCue) return true;
  if (rule.kind != rules::Kind::kPhi) return false;
  return rule.linkage == rules::Linkage::kNone || rule.category == "patient_detail";
}

bool IsHealthEvidence(const Finding& f) { return f.rule->kind == rules::Kind::kHealth; }

}  // namespace

void ApplyLinkage(std::size_t text_size, std::vector<Finding>& findings,
                  const std::vector<Finding>& cues) {
  const bool short_post = text_size <= kShortPostBytes;
  const auto has = [&](const Finding& target, bool (*evidence)(const Finding&)) {
    const auto near_evidence = [&](const Finding& other) {
      return &other != &target && evidence(other) && Near(target, other, short_post);
    };
    return std::any_of(findings.begin(), findings.end(), near_evidence) ||
           std::any_of(cues.begin(), cues.end(), near_evidence);
  };
  for (auto& finding : findings) {
    const auto& rule = *finding.rule;
    if (rule.kind != rules::Kind::kPhi || rule.linkage != rules::Linkage::kPatientHealth ||
        finding.action == rules::Action::kInfo) {
      continue;
    }
    if (!has(finding, IsPatientEvidence) || !has(finding, IsHealthEvidence)) {
      finding.action = rules::Action::kInfo;
      finding.context_words.push_back("-linkage: no patient and health information nearby");
    }
  }
}

}  // namespace phiguard::scan
