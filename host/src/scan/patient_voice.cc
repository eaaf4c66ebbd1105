#include "scan/patient_voice.h"

#include <algorithm>

#include "scan/voice_score.h"

namespace phiguard::scan {
namespace {

rules::Rule MakePatientVoiceRule() {
  rules::Rule rule;
  rule.id = "phi.reads_as_patient";
  rule.title = "Reads as a patient's story";
  rule.category = "patient_detail";
  rule.kind = rules::Kind::kPhi;
  rule.severity = rules::Severity::kMedium;
  rule.action = rules::Action::kWarn;
  rule.message =
      "This reads as being about a patient. Without a name, what happened, where, when and "
      "what stands out about them can still tell people who know them who it is.";
  rule.advice =
      "Leave out what makes this person recognisable: the place, the day, the event, what "
      "is unusual about them.";
  return rule;
}

std::string Why(const VoiceScore& score, std::size_t start, std::size_t end) {
  std::string why = "+voice: reads as about a patient";
  const auto strongest = score.StrongestFor(start, end, 3);
  for (std::size_t i = 0; i < strongest.size(); ++i) {
    why += (i == 0 ? ": '" : ", '") + strongest[i] + "'";
  }
  return why;
}

}  // namespace

const rules::Rule& PatientVoiceRule() {
  static const rules::Rule rule = MakePatientVoiceRule();
  return rule;
}

std::vector<Finding> PatientVoiceFindings(std::string_view text,
                                          const std::vector<Finding>& findings,
                                          const rules::VoiceModel& voice, bool explain,
                                          std::optional<VoiceScore>& score,
                                          std::vector<std::string>& words) {
  std::vector<Finding> raised;
  if (voice.raise_threshold <= 0.0F) return raised;
  std::vector<std::pair<std::size_t, std::size_t>> taken;  // phi findings' spans, sorted
  for (const auto& f : findings) {
    if (f.rule->kind == rules::Kind::kPhi) taken.emplace_back(f.start, f.end);
  }
  std::sort(taken.begin(), taken.end());
  if (!score) score.emplace(text, voice);
  for (const auto& anchor : score->PatientAnchors(voice.raise_threshold, taken)) {
    Finding f;
    f.rule = &PatientVoiceRule();
    f.rule_index = UINT32_MAX;  // after every pack rule in overlap ties
    f.start = anchor.start;
    f.end = anchor.end;
    f.action = rules::Action::kWarn;
    const bool identifier_near = std::any_of(findings.begin(), findings.end(), [&](const auto& x) {
      return x.rule->kind == rules::Kind::kPhi && x.action != rules::Action::kInfo &&
             GapBetween(x, f) <= kVoiceWindowBytes;
    });
    if (identifier_near) continue;
    f.confidence = anchor.probability;
    words.push_back(explain ? Why(*score, anchor.start, anchor.start) : std::string());
    raised.push_back(std::move(f));
  }
  return raised;
}

}  // namespace phiguard::scan
