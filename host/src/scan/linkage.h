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

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "rules/voice_model.h"
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

// What linkage says of one finding: nothing (linked, or not a linked rule), that evidence
// is lacking, or in words (a suppressor; with name_evidence, what linked it). The lacks are
// the commonest outcome and the same words each time: they become strings only when written
// into the finding (a string built and compared per finding was a quarter of linkage in a
// paste dense with names).
struct LinkageReason {
  enum class Lack : std::uint8_t { kNothing, kHealth, kPatient };
  Lack lack = Lack::kNothing;
  std::string text;  // empty with a lack

  bool empty() const { return lack == Lack::kNothing && text.empty(); }
  // Whether it takes the finding down to info ("-linkage: ...").
  bool Lowers() const { return lack != Lack::kNothing || (!text.empty() && text.front() == '-'); }
  std::string Words() &&;
};

// The words linkage gives each finding, apart from the findings: a scan writes them only
// into the findings that overlap resolution keeps, which needs the actions but not the words.
// NOTE: in a paste dense with names half the findings lose to an overlapping one, and their
// words (a string and a vector each, made and freed) were 6-8 % of the scan.
class LinkageWords {
 public:
  explicit LinkageWords(std::vector<LinkageReason> reasons) : reasons_(std::move(reasons)) {}
  // Appends the words of the finding that was at `index` when linkage ran, if it has any.
  void WriteInto(std::size_t index, Finding& finding) {
    if (index < reasons_.size() && !reasons_[index].empty()) {
      finding.context_words.push_back(std::move(reasons_[index]).Words());
    }
  }

 private:
  std::vector<LinkageReason> reasons_;
};

// Applies linkage to `findings` (normalised offsets into `text`), using `cues` (findings of
// kind cue) as evidence: a finding without its evidence drops to info. Cue findings
// themselves are never reported. Returns the context word each finding gets (what it lacks,
// or the suppressor that lowered it), to be written with LinkageWords::WriteInto. With
// `name_evidence`, a finding that stays linked gets a word naming the evidence that linked
// it ("+linkage: health 'discharged', patient 'pt'"), for `rules explain`: it costs a search
// and a string per finding, which the host's scans have no use for.
// With `voice`, a linked finding that kept its action is lowered too when the words around
// it read as not about a patient (rules/voice_model.h); `rules explain` names the words.
[[nodiscard]] LinkageWords ApplyLinkage(std::string_view text, std::vector<Finding>& findings,
                                        const std::vector<Finding>& cues,
                                        bool name_evidence = false,
                                        const rules::VoiceModel* voice = nullptr);

}  // namespace phiguard::scan
