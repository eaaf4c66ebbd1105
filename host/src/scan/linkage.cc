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

// Health information, or a cue marked patient_health: being someone's patient ("my
// patient", "pt", "admitted") is itself health information under HIPAA.
bool IsHealthEvidence(const Finding& f) {
  return f.rule->kind == rules::Kind::kHealth ||
         (f.rule->kind == rules::Kind::kCue && f.rule->linkage == rules::Linkage::kPatientHealth);
}

// Evidence spans sorted by start, so each finding looks only at its neighbourhood: a pasted
// document with thousands of findings stays O(n log n).
class EvidenceIndex {
 public:
  void Add(const Finding& f) { spans_.push_back(&f); }
  void Seal() {
    std::sort(spans_.begin(), spans_.end(),
              [](const Finding* a, const Finding* b) { return a->start < b->start; });
    for (const auto* f : spans_) longest_ = std::max(longest_, f->end - f->start);
  }
  bool AnyNear(const Finding& target, bool short_post) const {
    if (short_post) {
      return std::any_of(spans_.begin(), spans_.end(), [&](const Finding* f) { return f != &target; });
    }
    const std::size_t reach = kLinkWindowBytes + longest_;
    const std::size_t from = target.start > reach ? target.start - reach : 0;
    auto it = std::lower_bound(spans_.begin(), spans_.end(), from,
                               [](const Finding* f, std::size_t pos) { return f->start < pos; });
    for (; it != spans_.end() && (*it)->start <= target.end + kLinkWindowBytes; ++it) {
      if (*it != &target && Near(target, **it, false)) return true;
    }
    return false;
  }

 private:
  std::vector<const Finding*> spans_;
  std::size_t longest_ = 0;
};

}  // namespace

void ApplyLinkage(std::size_t text_size, std::vector<Finding>& findings,
                  const std::vector<Finding>& cues) {
  const bool short_post = text_size <= kShortPostBytes;
  EvidenceIndex patient, health;
  const std::vector<Finding>* lists[] = {&findings, &cues};
  for (const auto* list : lists) {
    for (const auto& f : *list) {
      if (IsPatientEvidence(f)) patient.Add(f);
      if (IsHealthEvidence(f)) health.Add(f);
    }
  }
  patient.Seal();
  health.Seal();
  for (auto& finding : findings) {
    const auto& rule = *finding.rule;
    if (rule.kind != rules::Kind::kPhi || rule.linkage != rules::Linkage::kPatientHealth ||
        finding.action == rules::Action::kInfo) {
      continue;
    }
    if (!patient.AnyNear(finding, short_post) || !health.AnyNear(finding, short_post)) {
      finding.action = rules::Action::kInfo;
      finding.context_words.push_back("-linkage: no patient and health information nearby");
    }
  }
}

}  // namespace phiguard::scan
