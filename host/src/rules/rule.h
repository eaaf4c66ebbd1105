#pragma once
// A rule and a pack as compliance writes them (rules/packs/*.json, schema in rules/schema/).
// Plain data: loading is in pack_loader.h, compiling and matching in scan/.

#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "rules/voice_model.h"
#include "rules/word_list.h"

namespace phiguard::rules {

// What a finding is about (docs/design.md "Categories"). A `cue` rule never becomes a finding:
// it marks words that tie a post to a patient ("pt", "my patient", "her daughter") for the
// linkage stage, and its category must be "cue".
enum class Kind { kPhi, kHealth, kPolicy, kCue };

// When a phi finding may warn or block (scan/linkage.h has the mechanism):
//   kNone          always keeps its action: direct identifiers (SSN, MRN, plan ID), which
//                  only patients have in a post; they are also patient evidence.
//   kPatientHealth only when the text ties it to a patient and to health information
//                  nearby (or anywhere in a short post): dates, places, phones, ages.
//   kPerson        the match points at a person by itself (a name, a patient detail): it
//                  needs health information nearby, and it is patient evidence for others.
// A finding that is not linked is reported at info.
enum class Linkage { kNone, kPatientHealth, kPerson };

// What a cue rule tells the linkage stage about the text near it.
//   kPatient       points at a patient or relative ("her daughter", "the 80 y/o").
//   kHealth        about care or health ("records", "appointment", "discharged").
//   kPatientHealth both: being someone's patient is health information ("my patient").
//   kStaff         about staff or the organisation ("call us to book", "join our team"):
//                  linked identifiers near it stay at info.
//   kNotPatient    the person near it is not a patient of the poster: a public figure's own
//                  disclosure ("announced", "told reporters"), the poster's own health ("I was
//                  diagnosed"), staff recognition ("RN, BSN", "years of service"), teaching
//                  ("studies show"). A suppressor: linked identifiers near it stay at info,
//                  and `rules explain` names the cue.
enum class Evidence { kPatient, kHealth, kPatientHealth, kStaff, kNotPatient };
enum class Severity { kLow, kMedium, kHigh, kCritical };
// What the extension does with a finding. Ordered: a larger value is stricter.
enum class Action { kInfo, kWarn, kBlock };

std::string_view ToString(Kind kind);
std::string_view ToString(Severity severity);
std::string_view ToString(Action action);
std::optional<Kind> ParseKind(std::string_view text);
std::optional<Severity> ParseSeverity(std::string_view text);
std::optional<Action> ParseAction(std::string_view text);

// True for the fixed category vocabulary of docs/design.md.
bool IsKnownCategory(std::string_view category);
// That vocabulary, in its order (`phiguard rules vocabulary` prints it; tests hold the
// schema, the extension and the docs to it).
std::span<const std::string_view> KnownCategories();
// True for the composer kinds the extension names in a scan's `surface`
// (docs/design.md "Wire protocol").
bool IsKnownSurface(std::string_view surface);
std::span<const std::string_view> KnownSurfaces();

std::optional<Linkage> ParseLinkage(std::string_view text);
std::optional<Evidence> ParseEvidence(std::string_view text);

// Words near a candidate that make it more or less likely to be what the rule is about.
struct ContextSpec {
  std::vector<std::string> raise;  // lower-case words or phrases, matched as whole words
  std::vector<std::string> lower;
  std::uint32_t window = 48;  // bytes of normalised text looked at on each side
  bool required = false;      // drop the candidate unless a `raise` word is in the window
  // Lower-case words that void the candidate when they are the word right before or
  // right after it: "Port" before "Ellery" or "Memorial" after "Ashby" make a place or an
  // organisation of a given name.
  std::vector<std::string> drop_before;
  std::vector<std::string> drop_after;
};

struct Rule {
  std::string id;
  std::string title;
  std::string category;
  Kind kind = Kind::kPhi;
  Severity severity = Severity::kMedium;
  Action action = Action::kWarn;

  // Exactly one matcher: a pattern (Hyperscan dialect, also compiled by RE2) or a term list.
  std::string pattern;
  std::vector<std::string> terms;  // literals, matched as whole words
  bool caseless = false;
  std::uint32_t span_group = 0;  // capture group that is the finding; 0 = whole match

  std::string validate;  // name of a built-in validator, empty for none
  WordCheck words;       // names versus ordinary words in the span; empty for none
  Linkage linkage = Linkage::kNone;
  Evidence evidence = Evidence::kPatient;  // cue rules only
  // Suppressors (staff and not-patient cues) about who a person is, rather than about the
  // whole post's frame: a "patient_health" cue nearer the finding than this cue wins
  // ("Shoutout to our old pt Yusuf"). Teaching, history and animal cues leave it false:
  // "synthetic patient 'Zyxx'" is still a test case.
  bool yields_to_patient = false;
  // Not-patient cues about the poster's own life ("I was diagnosed", "my chemo", "in loving
  // memory"): in a post with no patient_health cue anywhere (no "pt", "my patient", room
  // number), the cue speaks for the whole post, since a first-person story names the
  // poster's own people and dates paragraphs away from the words that say whose story it
  // is; in a post that does speak of a patient it says nothing, not even about its clause
  // ("I was diagnosed with what my patient Dan has").
  bool post_wide = false;
  // A post-wide cue that yields, whose own words say "patient" ("we cannot confirm whether
  // anyone is a patient here"): it yields only to a patient_health cue outside its own span,
  // so the careful reply holds until the reply tells someone of their care. Opt-in: "the
  // family of" yields to its own "the family", which staff write of a patient's relatives.
  bool yields_outside_own_words = false;
  // Patient details that point at one person as a name does ("the lady in 5", "Mr. Kwan in
  // 712"): like a name they pair with another identifier near them (a recording, a phone
  // number, a relative's name) without health words, since together they make a patient
  // findable. Public roles and events are left out: an organiser beside a phone line is
  // the commonest pair in posts about no patient.
  bool pairs_like_name = false;
  // A cue that says where someone is cared for without saying who ("room 318"): a
  // patient_health cue for linkage, but no witness against a post-wide story of the poster's
  // own family ("Please pray for my husband Lyle ... at Mercy, room 5112" gives the
  // husband's room, not another patient's).
  bool locates_only = false;
  ContextSpec context;
  double confidence = 0.6;  // before context adjusts it

  std::string message;
  std::string advice;
  std::vector<std::string> references;
  // Where the rule applies, from its pack's `surfaces` and `sites`: a scan whose request
  // names a surface or site outside a non-empty list gets no findings of the rule (the
  // review-reply rules on an X post). A request that names none gets every rule.
  std::vector<std::string> surfaces;
  std::vector<std::string> sites;
  std::vector<std::string> examples;   // texts that must produce this rule
  std::vector<std::string> negatives;  // texts that must not
};

// Whether `rule` is of `category`: the scan asks this of every finding, several times.
// NOTE: std::string == "name" compares through a call to memcmp with a length known only
// at run time; this compares the length first and then a length the compiler knows, which
// it does inline (the calls were 5 % of a paste dense with names).
template <std::size_t N>
bool HasCategory(const Rule& rule, const char (&category)[N]) {
  return rule.category.size() == N - 1 && std::memcmp(rule.category.data(), category, N - 1) == 0;
}

// Whether two rules share a category; one rule shares its own without a comparison.
inline bool SameCategory(const Rule& a, const Rule& b) {
  return &a == &b || a.category == b.category;
}

struct Pack {
  std::string id;
  std::string version;
  std::string description;
  std::string source;  // file the pack came from, for messages
  std::vector<Rule> rules;
  // The post-voice model, in at most one pack of a rule set (voice_model.h).
  std::shared_ptr<const VoiceModel> voice_model;
};

// Whether `rule` applies to a scan of `surface` on `site` (empty: not said, so yes).
bool AppliesTo(const Rule& rule, std::string_view site, std::string_view surface);

}  // namespace phiguard::rules
