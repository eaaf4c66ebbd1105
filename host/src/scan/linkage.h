#pragma once
// Linkage: an identifier is PHI when the post ties it to a patient and to health
// information. A hospital's phone number in a flu-clinic post, an event date, a staff
// email: identifiers, but not about a patient, and flagging them teaches people to
// ignore the tool. Rules with "linkage": "patient_health" keep their action only when
// both kinds of evidence are near; otherwise they drop to info (still shown, never
// blocking).

#include <string_view>
#include <vector>

#include "scan/finding.h"

namespace phiguard::scan {

// NOTE: about two sentences either side. Posts are short; a patient and their diagnosis
// are rarely further apart than that, while a signature block or an event footer is.
inline constexpr std::size_t kLinkWindowBytes = 200;
// A post this short is one thought: evidence anywhere in it counts.
inline constexpr std::size_t kShortPostBytes = 320;

// Applies linkage to `findings` (normalised offsets), using `cues` (findings of kind cue)
// as patient evidence. Cue findings themselves are never reported.
void ApplyLinkage(std::size_t text_size, std::vector<Finding>& findings,
                  const std::vector<Finding>& cues);

}  // namespace phiguard::scan
