#pragma once
// Linkage: an identifier is PHI when the post ties it to a patient and to health
// information. A hospital's phone number in a flu-clinic post, an event date, a staff
// email: identifiers, but not about a patient, and flagging them teaches people to
// ignore the tool. This stage runs after context scoring (so evidence is what survived
// validators and context words) and before overlap resolution (so a health term that
// overlaps an identifier still counts as evidence for it).
//
// Evidence, all of it data (rules/README.md "Linkage"):
//   patient  cue rules with "evidence": "patient" or "patient_health"; phi findings at
//            warn or above whose rule is direct ("linkage": "none") or points at a person
//            by itself ("linkage": "person": names, patient details).
//   health   health findings; cue rules with "evidence": "health" or "patient_health".
//   staff    cue rules with "evidence": "staff" ("call us to book", "join our team").
//   not patient  cue rules with "evidence": "not_patient": a public figure's own disclosure,
//            the poster's own health, staff recognition, teaching (suppressors).
// Rules:
//   "none"            keeps its action.
//   "person"          keeps it with health evidence near, and no staff or not-patient cue near.
//   "patient_health"  keeps it with patient and health evidence near, and no staff or
//                     not-patient cue near.
// Otherwise the finding drops to info: still shown, never blocking.

#include <string_view>
#include <vector>

#include "scan/finding.h"

namespace phiguard::scan {

// NOTE: about two sentences either side. Posts are short; a patient and their diagnosis
// are rarely further apart than that, while a signature block or an event footer is.
inline constexpr std::size_t kLinkWindowBytes = 200;
// A post this short is one thought: patient and health evidence anywhere in it counts.
// NOTE: 320 bytes is two tweets' worth; most posts in the dev set are under it, and the
// window above decides only for longer texts (pasted notes, long Facebook posts).
inline constexpr std::size_t kShortPostBytes = 320;
// NOTE: a staff cue speaks for its own clause ("Call 555-0100 to book"), not the post: a
// clinic's number two sentences after a patient story is still the clinic's.
inline constexpr std::size_t kStaffWindowBytes = 40;
// NOTE: a not-patient cue ("announced", "RN, BSN", "years of service") speaks for the
// sentence it is in: a public figure's name usually comes a clause before the verb that
// says the disclosure was their own ("Senator Whitmore, 61, told reporters on Tuesday").
inline constexpr std::size_t kNotPatientWindowBytes = 80;
// NOTE: how far a "post_wide" cue (the poster's own story, a family's own announcement)
// and a staff-named colleague's name reach, and how far a patient cue cancels them: a long
// social-media post. Bounded, so a finding still depends only on text near it (a pasted
// document holds many posts, and edit rescans and piecewise scans rely on the bound:
// edit_rescanner.cc DependencyRadius).
inline constexpr std::size_t kPostWideBytes = 1500;
// NOTE: two identifiers of different kinds this close (in one sentence or the next) are
// taken to be one person's, and need no health word to be kept.
inline constexpr std::size_t kIdentifierPairBytes = 120;

// Applies linkage to `findings` (normalised offsets into `text`), using `cues` (findings of
// kind cue) as evidence. Cue findings themselves are never reported. With
// `name_evidence`, a finding that stays linked gets a context word naming the evidence that
// linked it ("+linkage: health 'discharged', patient 'pt'"), for `rules explain`: it costs a
// search and a string per finding, which the host's scans have no use for.
void ApplyLinkage(std::string_view text, std::vector<Finding>& findings,
                  const std::vector<Finding>& cues, bool name_evidence = false);

}  // namespace phiguard::scan
