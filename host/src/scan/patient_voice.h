#pragma once
// Findings for text that reads as a patient's story told without an identifier: "bed 16
// weaned to 4L, the one from the warehouse fire on tuesday" names no one, yet everyone who
// heard of the fire knows who it is. The rules catch such details one shape at a time and
// miss the shapes nobody wrote a rule for; the post-voice model (rules/voice_model.h) has
// read every labelled post and scores the words of any story.
//
// NOTE: why the model raises as well as lowers: on the two files written in the
// 2026-12-07 evening round, scored before anything learned from them, the rules missed 36 of
// 190 PHI posts; the model, trained without them, scored 18 of those 36 at 0.9 or more and
// one of the 190 clean posts not already flagged (docs/performance.md has the held-out
// numbers for the threshold in the pack).

#include <string>
#include <string_view>
#include <vector>

#include "rules/rule.h"
#include "rules/voice_model.h"
#include "scan/finding.h"

namespace phiguard::scan {

// The rule a raised finding carries: built in, since its matcher is the model.
const rules::Rule& PatientVoiceRule();

// A finding for each stretch of `text` that scores at least voice.raise_threshold
// (VoiceScore::PatientAnchors) with no kept phi finding (above info) within
// kVoiceWindowBytes of it, on the words that read most as about a patient. With `explain`,
// `words` gets each one's context words (the words that raised it); they are the post's
// words, for `rules explain` only. None when the model does not raise.
std::vector<Finding> PatientVoiceFindings(std::string_view text,
                                          const std::vector<Finding>& findings,
                                          const rules::VoiceModel& voice, bool explain,
                                          std::vector<std::string>& words);

}  // namespace phiguard::scan
