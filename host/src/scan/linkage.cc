#include "scan/linkage.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>

#include "scan/patient_voice.h"
#include "scan/voice_score.h"
#include "util/ascii.h"

namespace phiguard::scan {
namespace {

using rules::Evidence;
using rules::Kind;
using rules::Linkage;

bool CueGives(const Finding& f, Evidence a, Evidence b) {
  return f.rule->kind == Kind::kCue && (f.rule->evidence == a || f.rule->evidence == b);
}

// Evidence that the text is about a patient: a patient cue, a direct identifier (which
// only patients have in a post: an MRN, an SSN, a plan ID), or a finding that points at a
// person by itself (a name, a patient detail) and survived its context words.
bool IsPatientEvidence(const Finding& f) {
  if (CueGives(f, Evidence::kPatient, Evidence::kPatientHealth)) return true;
  const auto& rule = *f.rule;
  return rule.kind == Kind::kPhi && f.action != rules::Action::kInfo &&
         (rule.linkage == Linkage::kNone || rule.linkage == Linkage::kPerson);
}

// Health information, or a cue about care: being someone's patient ("my patient", "pt",
// "admitted", "your appointment") is itself health information under HIPAA.
bool IsHealthEvidence(const Finding& f) {
  return f.rule->kind == Kind::kHealth || CueGives(f, Evidence::kHealth, Evidence::kPatientHealth);
}

bool IsStaffEvidence(const Finding& f) { return CueGives(f, Evidence::kStaff, Evidence::kStaff); }

bool IsNotPatientEvidence(const Finding& f) {
  return CueGives(f, Evidence::kNotPatient, Evidence::kNotPatient);
}

// Text order: by start, then rule, then end. Two cue rules can match the same words
// ("according to" is a teaching cue and a public-disclosure one), and which is named must
// not depend on the rest of the text.
bool InTextOrder(const Finding* a, const Finding* b) {
  if (a->start != b->start) return a->start < b->start;
  if (a->rule_index != b->rule_index) return a->rule_index < b->rule_index;
  return a->end < b->end;
}

// Evidence spans in text order, so each finding looks only at its neighbourhood: a pasted
// document with thousands of findings stays O(n log n).
class EvidenceIndex {
 public:
  // Spans come in text order (CollectEvidence), so the index needs no sort of its own.
  void Add(const Finding& f) { spans_.push_back(&f); }
  bool empty() const { return spans_.empty(); }
  void Seal() {
    // NOTE: sorting each index was a sixth of a scan dense with names; the check is linear.
    if (!std::is_sorted(spans_.begin(), spans_.end(), InTextOrder)) {
      std::sort(spans_.begin(), spans_.end(), InTextOrder);
    }
    starts_.reserve(spans_.size());
    for (const auto* f : spans_) {
      longest_ = std::max(longest_, f->end - f->start);
      starts_.push_back(f->start);
    }
  }
  // For FirstNearOfOtherCategory: where each run of spans of one category ends.
  void IndexCategories() {
    run_end_.resize(spans_.size());
    for (std::size_t i = spans_.size(); i-- > 0;) {
      const bool run_goes_on =
          i + 1 < spans_.size() && rules::SameCategory(*spans_[i + 1]->rule, *spans_[i]->rule);
      run_end_[i] = run_goes_on ? run_end_[i + 1] : i + 1;
    }
  }
  // True when some span other than `target` is within `window` bytes of it (anywhere
  // when `anywhere`).
  bool AnyNear(const Finding& target, std::size_t window, bool anywhere) const {
    if (anywhere) return Near(target, window, true) != nullptr;
    // The first hit settles it: most findings have evidence right beside them.
    const auto [it, end] = Range(target, window);
    return std::any_of(it, end, [&](const Finding* f) {
      return f != &target && GapBetween(target, *f) <= window;
    });
  }
  // The first span other than `target` within `window` bytes that `accept` takes (anywhere
  // when `anywhere`), or nullptr: only the neighbourhood is looked at, so a paste of
  // thousands of names stays O(n log n).
  template <typename Accept>
  const Finding* FirstNear(const Finding& target, std::size_t window, bool anywhere,
                           Accept accept) const {
    const auto [first, end] =
        anywhere ? std::pair{spans_.begin(), spans_.end()} : Range(target, window);
    for (auto it = first; it != end; ++it) {
      if (*it != &target && (anywhere || GapBetween(target, **it) <= window) && accept(**it)) {
        return *it;
      }
    }
    return nullptr;
  }
  // FirstNear for an `accept` that takes no span of `target`'s category: a run of such
  // spans is stepped over at once (IndexCategories first). A paste of one repeated name
  // otherwise looked at every other name near each one.
  template <typename Accept>
  const Finding* FirstNearOfOtherCategory(const Finding& target, std::size_t window, bool anywhere,
                                          Accept accept) const {
    const auto [first, end] =
        anywhere ? std::pair{spans_.begin(), spans_.end()} : Range(target, window);
    const auto stop = static_cast<std::size_t>(end - spans_.begin());
    for (auto i = static_cast<std::size_t>(first - spans_.begin()); i < stop;) {
      const Finding& x = *spans_[i];
      if (rules::SameCategory(*x.rule, *target.rule)) {
        i = run_end_[i];
        continue;
      }
      if (anywhere || GapBetween(target, x) <= window) {
        if (accept(x)) return &x;
      }
      ++i;
    }
    return nullptr;
  }
  // The nearest such span (the first in text order when `anywhere`), or nullptr.
  const Finding* Near(const Finding& target, std::size_t window, bool anywhere) const {
    if (anywhere) {
      const auto it = std::find_if(spans_.begin(), spans_.end(),
                                   [&](const Finding* f) { return f != &target; });
      return it == spans_.end() ? nullptr : *it;
    }
    const auto [first, end] = Range(target, window);
    const Finding* nearest = nullptr;
    for (auto it = first; it != end; ++it) {
      // Nearest first; at one distance the longer span ("cardiac floor" over "cardiac").
      if (*it != &target && GapBetween(target, **it) <= window &&
          (nearest == nullptr || GapBetween(target, **it) < GapBetween(target, *nearest) ||
           (GapBetween(target, **it) == GapBetween(target, *nearest) &&
            (*it)->end - (*it)->start > nearest->end - nearest->start))) {
        nearest = *it;
      }
    }
    return nearest;
  }

 private:
  // The spans that may lie within `window` bytes of `target`: sorted by start, so from the
  // first that could reach it to the first that starts past it.
  using Iterator = std::vector<const Finding*>::const_iterator;
  std::pair<Iterator, Iterator> Range(const Finding& target, std::size_t window) const {
    const std::size_t reach = window + longest_;
    const std::size_t from = target.start > reach ? target.start - reach : 0;
    const std::size_t last_start = target.end + window;
    const auto before_from = [from](std::size_t start) { return start < from; };
    // NOTE: searched in a copy of the starts, not through the pointers: each probe of a
    // pointer read a finding's cache line. Findings are linked in text order, so each
    // neighbourhood begins at or just after the last one: a gallop from where the last
    // began costs a few steps where a search over all the starts cost a dozen (those
    // searches were a third of linkage in a paste dense with names).
    const std::size_t first =
        cursor_ == 0 || before_from(starts_[cursor_ - 1])
            ? GallopFrom(cursor_, before_from)
            : static_cast<std::size_t>(
                  std::partition_point(starts_.begin(),
                                       starts_.begin() + static_cast<std::ptrdiff_t>(cursor_),
                                       before_from) -
                  starts_.begin());
    cursor_ = first;
    const std::size_t end =
        GallopFrom(first, [last_start](std::size_t start) { return start <= last_start; });
    return {spans_.begin() + static_cast<std::ptrdiff_t>(first),
            spans_.begin() + static_cast<std::ptrdiff_t>(end)};
  }
  // The first position at or after `at` whose start `before` rejects, when every start
  // before `at` is one it accepts: steps of 1, 2, 4... from `at`, then a search in the last.
  template <typename Before>
  std::size_t GallopFrom(std::size_t at, Before before) const {
    std::size_t low = at;
    std::size_t high = at;
    for (std::size_t step = 1; high < starts_.size() && before(starts_[high]); step *= 2) {
      low = high + 1;
      high = low + step;
    }
    high = std::min(high, starts_.size());
    return static_cast<std::size_t>(
        std::partition_point(starts_.begin() + static_cast<std::ptrdiff_t>(low),
                             starts_.begin() + static_cast<std::ptrdiff_t>(high), before) -
        starts_.begin());
  }

  std::vector<const Finding*> spans_;
  std::vector<std::size_t> starts_;  // spans_[i]->start, for Range's searches
  std::size_t longest_ = 0;
  std::vector<std::size_t> run_end_;  // per span: one past the last of its category's run
  // Where the last neighbourhood began (Range): a hint, never needed for correctness.
  mutable std::size_t cursor_ = 0;
};

struct Evidences {
  EvidenceIndex patient, health, staff, not_patient;
  // Cue rules with "patient_health" only ("pt", "my patient", "room 4"): words that say a
  // patient is meant, where a pronoun or "family" could be anyone.
  EvidenceIndex patient_cues;
  // The patient cues that say who, not only where: all but a bare room or bed number
  // (`locates_only`: "room 5112"), which counts again when a room reference around it names
  // a person ("the guy in bed 9"). Only these make a post-wide story of the poster's own
  // family yield.
  EvidenceIndex naming_patient_cues;
  // Words that say care happened here: health evidence (with the cues that say someone is a
  // patient: "pt", "admitted") and references to a room or a bed ("the man in 11"). A place or a
  // picture pairs with a name only near them (LoosePairPart).
  EvidenceIndex care;
  EvidenceIndex identifiers;  // phi findings still active: candidates for identifier pairs
  EvidenceIndex post_wide;    // "post_wide" not-patient cues
};

// Findings and cues together in text order. Each list is in text order already (Confirm
// makes them so, and later stages only remove), so this is a merge.
std::vector<const Finding*> MergeInTextOrder(const std::vector<Finding>& findings,
                                             const std::vector<Finding>& cues) {
  std::vector<const Finding*> all;
  all.reserve(findings.size() + cues.size());
  auto f = findings.begin();
  auto c = cues.begin();
  while (f != findings.end() || c != cues.end()) {
    const bool take_cue = f == findings.end() || (c != cues.end() && InTextOrder(&*c, &*f));
    all.push_back(take_cue ? &*c++ : &*f++);
  }
  return all;
}

// A reference to a room or a bed ("the man in 11"; `pairs_like_name`) says that someone
// is being cared for here, as a care word does. Other details (a workplace, a status)
// may be anyone's.
bool IsRoomReference(const Finding& f) {
  return f.rule->kind == Kind::kPhi && f.action != rules::Action::kInfo && f.rule->pairs_like_name;
}

using ByteRanges = std::vector<std::pair<std::size_t, std::size_t>>;

// A quote longer than kLongestQuoteBytes is taken for an unpaired mark, so one stray mark
// cannot silence the rest of a long post.
constexpr std::size_t kLongestQuoteBytes = 400;

// Byte ranges inside double quotation marks (normalisation has folded the curly ones to '"'),
// in text order.
ByteRanges DoubleQuotedRanges(std::string_view text) {
  ByteRanges ranges;
  for (auto open = text.find('"'); open != std::string_view::npos;) {
    const auto close = text.find('"', open + 1);
    if (close == std::string_view::npos) break;
    if (close - open - 1 <= kLongestQuoteBytes) {
      ranges.emplace_back(open + 1, close);
      open = text.find('"', close + 1);
    } else {
      open = close;  // the first mark had no partner nearby: pair from the next one
    }
  }
  return ranges;
}

// Single quotation marks are apostrophes too often to pair blindly ("don't", "the kids'
// toys"), but a message pasted in them opens after a colon ("forwarding this: 'Hi, my mom
// Gladys was discharged ...'") and closes at the end of a line or of the text. Only that
// shape counts: a mark after ": " and the last mark before the line ends, with nothing but
// punctuation and spaces after it. In text order.
ByteRanges SingleQuotedMessages(std::string_view text) {
  ByteRanges ranges;
  for (auto at = text.find(": '"); at != std::string_view::npos; at = text.find(": '", at + 1)) {
    const std::size_t open = at + 3;
    const auto line_end = std::min(text.find('\n', open), text.size());
    const auto close = text.rfind('\'', line_end - 1);
    if (close == std::string_view::npos || close <= open || close - open > kLongestQuoteBytes) {
      continue;
    }
    const auto after = text.substr(close + 1, line_end - close - 1);
    const bool ends_line = std::all_of(after.begin(), after.end(), [](char c) {
      return c == ' ' || c == '.' || c == '!' || c == '?' || c == ')' || c == ',';
    });
    if (ends_line) ranges.emplace_back(open, close);
  }
  return ranges;
}

// Where words are someone else's: a reply that quotes a review ("thank u for my stitches"),
// a fax from a patient's son ("RE: my dad Emil"), a relative's message pasted after a colon
// tell whose health the quoted person meant, not the poster's own. In text order and apart,
// as InsideAny needs: a double-quoted phrase inside a pasted message joins it.
ByteRanges QuotedRanges(std::string_view text) {
  auto ranges = DoubleQuotedRanges(text);
  auto messages = SingleQuotedMessages(text);
  if (messages.empty()) return ranges;  // the common case: no sort, no merge
  ranges.insert(ranges.end(), messages.begin(), messages.end());
  std::sort(ranges.begin(), ranges.end());
  ByteRanges merged;
  for (const auto& range : ranges) {
    if (!merged.empty() && range.first <= merged.back().second) {
      merged.back().second = std::max(merged.back().second, range.second);
    } else {
      merged.push_back(range);
    }
  }
  return merged;
}

// The ranges are in text order and never overlap, so only the last one starting at or before
// the finding can hold it: a search, not a walk, for a paste with hundreds of quotes.
bool InsideAny(const ByteRanges& ranges, const Finding& f) {
  const auto after = std::upper_bound(ranges.begin(), ranges.end(), f.start,
                                      [](std::size_t at, const auto& r) { return at < r.first; });
  return after != ranges.begin() && f.end <= std::prev(after)->second;
}

// Whether a room reference that names a person before it holds `cue`: "the guy in bed 9"
// around "bed 9". Only words before the number name someone; a verb after it ("Bed 31 has
// been her whole world", "room 412 has") is the room itself, the one the poster's own family
// is in. `rooms` are the spans of active `pairs_like_name` findings, in text order; a
// reference is a short phrase, so only those starting within kRoomPhraseBytes before the cue
// are looked at.
constexpr std::size_t kRoomPhraseBytes = 64;
bool InsideLongerRoomReference(const std::vector<std::pair<std::size_t, std::size_t>>& rooms,
                               const Finding& cue) {
  auto at = std::upper_bound(rooms.begin(), rooms.end(), cue.start,
                             [](std::size_t start, const auto& r) { return start < r.first; });
  while (at != rooms.begin()) {
    --at;
    if (at->first + kRoomPhraseBytes < cue.start) break;
    if (at->first < cue.start && at->second >= cue.end) return true;
  }
  return false;
}

Evidences CollectEvidence(std::string_view text, const std::vector<Finding>& findings,
                          const std::vector<Finding>& cues) {
  Evidences e;
  const auto quoted = QuotedRanges(text);
  // Findings are in text order (MergeInTextOrder), so the room spans are too: no sort.
  std::vector<std::pair<std::size_t, std::size_t>> rooms;
  for (const auto& f : findings) {
    if (IsRoomReference(f)) rooms.emplace_back(f.start, f.end);
  }
  for (const auto& f : findings) {
    if (f.rule->kind == Kind::kPhi && f.action != rules::Action::kInfo) e.identifiers.Add(f);
  }
  e.identifiers.Seal();
  e.identifiers.IndexCategories();
  for (const auto* each : MergeInTextOrder(findings, cues)) {
    const Finding& f = *each;
    if (IsPatientEvidence(f)) e.patient.Add(f);
    if (CueGives(f, Evidence::kPatientHealth, Evidence::kPatientHealth)) {
      e.patient_cues.Add(f);
      if (!f.rule->locates_only || InsideLongerRoomReference(rooms, f)) {
        e.naming_patient_cues.Add(f);
      }
    }
    if (IsHealthEvidence(f)) e.health.Add(f);
    if (IsHealthEvidence(f) || IsRoomReference(f)) e.care.Add(f);
    if (IsStaffEvidence(f)) e.staff.Add(f);
    // A post-wide cue speaks for the whole post or not at all (below), never for a clause.
    // The poster's own family, own health, own voice: never from words quoted from someone else.
    const bool own_words = IsNotPatientEvidence(f) && !InsideAny(quoted, f);
    if (own_words && !f.rule->post_wide) e.not_patient.Add(f);
    if (own_words && f.rule->post_wide) e.post_wide.Add(f);
  }
  e.patient.Seal();
  e.patient_cues.Seal();
  e.naming_patient_cues.Seal();
  e.care.Seal();
  e.health.Seal();
  e.staff.Seal();
  e.not_patient.Seal();
  e.post_wide.Seal();
  return e;
}

constexpr std::string_view kAboutStaff = "-linkage: about staff or the organisation";
constexpr std::string_view kNoHealthNearby = "-linkage: no health information nearby";
constexpr std::string_view kNoPatientNearby = "-linkage: no patient nearby";
constexpr std::string_view kVoiceNotPatient = "-linkage: not a patient (the post's words";

using Reason = LinkageReason;

// Up to 40 bytes of an evidence span, quoted, for `rules explain` (never a log).
std::string QuoteEvidence(std::string_view text, const Finding& evidence) {
  constexpr std::size_t kMaxQuote = 40;
  const auto length = std::min(evidence.end - evidence.start, kMaxQuote);
  return "'" + std::string(text.substr(evidence.start, length)) + "'";
}

// Why a linked finding is not PHI, or empty when it is. With `text`, a suppressor's reason
// quotes the cue that lowered the finding, so `rules explain` shows what to rephrase.
// A suppressor about who a person is ("yields_to_patient": staff, the organisation) speaks
// for the words nearest it. When a patient cue stands nearer the finding than such a
// suppressor, the finding is the patient's: "Shoutout to our old pt Yusuf" thanks a patient,
// and "PT'S DAUGHTER +1 (803) 555-0179 ... PASSING TO DAY SHIFT" gives a relative's number
// whatever the handover words after it say.
const Finding* Suppressor(const EvidenceIndex& suppressors, const Finding& f, std::size_t window,
                          const Evidences& e) {
  const auto* cue = suppressors.Near(f, window, false);
  if (cue == nullptr || !cue->rule->yields_to_patient) return cue;
  // A room reference is a patient by itself ("the man in room 9"): a cue about who someone
  // is speaks of another person in the sentence ("Employee of the month goes to Kiara, who
  // noticed the man in room 9 ...").
  if (f.rule->pairs_like_name) return nullptr;
  // A cue over the finding's own words ("Room 120" is both) is the finding, not a witness.
  const auto gap = GapBetween(f, *cue);
  const auto* patient = e.patient_cues.FirstNear(f, gap, false, [&](const Finding& x) {
    return GapBetween(f, x) < gap && (x.end <= f.start || f.end <= x.start);
  });
  return patient != nullptr ? nullptr : cue;
}

Reason MissingLink(const Finding& f, const Evidences& e, bool short_post,
                   std::optional<std::string_view> text) {
  if (const auto* cue = Suppressor(e.staff, f, kStaffWindowBytes, e)) {
    std::string why(kAboutStaff);
    if (text) why += " (" + cue->rule->title + " " + QuoteEvidence(*text, *cue) + ")";
    return {Reason::Lack::kNothing, std::move(why)};
  }
  if (const auto* cue = Suppressor(e.not_patient, f, kNotPatientWindowBytes, e)) {
    std::string why = "-linkage: not a patient (" + cue->rule->title;
    if (text) why += " " + QuoteEvidence(*text, *cue);
    return {Reason::Lack::kNothing, why + ")"};
  }
  // The post (up to kPostWideBytes either way) tells the poster's own story and never
  // speaks of a patient.
  // A frame (the patient is an animal) holds whatever else is near; the poster's own story
  // yields, like a suppressor about who a person is, to any patient cue in the post.
  // Any post-wide cue that holds counts, not only the nearest: "my grandpa," yields to the
  // word "patient", "(not a patient)" further on does not. For a cue that says so
  // (`yields_outside_own_words`), a patient cue inside its own words is the cue speaking, not
  // a witness against it: "we cannot confirm whether anyone is a patient" holds until the
  // reply tells someone of their care.
  // A bare room number is no witness (naming_patient_cues): in the poster's own family
  // story it is the relative's room.
  std::optional<bool> patient_in_post;  // looked up once, and only when a cue yields
  const auto holds = [&](const Finding& x) {
    if (!x.rule->yields_to_patient) return true;
    if (x.rule->yields_outside_own_words) {
      const auto outside = [&](const Finding& y) { return y.end <= x.start || x.end <= y.start; };
      return e.naming_patient_cues.FirstNear(f, kPostWideBytes, false, outside) == nullptr;
    }
    if (!patient_in_post) patient_in_post = e.naming_patient_cues.AnyNear(f, kPostWideBytes, false);
    return !*patient_in_post;
  };
  if (const auto* cue = e.post_wide.FirstNear(f, kPostWideBytes, false, holds); cue != nullptr) {
    std::string why = "-linkage: not a patient (" + cue->rule->title + ", the whole post";
    if (text) why += " " + QuoteEvidence(*text, *cue);
    return {Reason::Lack::kNothing, why + ")"};
  }
  if (!e.health.AnyNear(f, kLinkWindowBytes, short_post)) return {Reason::Lack::kHealth, {}};
  if (f.rule->linkage == Linkage::kPatientHealth &&
      !e.patient.AnyNear(f, kLinkWindowBytes, short_post)) {
    return {Reason::Lack::kPatient, {}};
  }
  return {};
}

// Words that make a date someone's date of birth when they come just before it.
constexpr std::array<std::string_view, 6> kBirthWords = {"dob",        "d.o.b",     "date of birth",
                                                         "birth date", "birthdate", "born"};
constexpr std::size_t kBirthWordWindowBytes = 24;

// A date of birth ("DOB on file 12/01/1944", "born 04/09/2019") is a person's, unlike most
// dates in posts (events, deadlines), so it pairs like a name does.
bool IsBirthDate(std::string_view text, const Finding& f) {
  if (!rules::HasCategory(*f.rule, "date") || f.start > text.size()) return false;
  const std::size_t from = f.start > kBirthWordWindowBytes ? f.start - kBirthWordWindowBytes : 0;
  // Lower-cased on the stack: a string per date was an allocation per finding.
  std::array<char, kBirthWordWindowBytes> lowered{};
  for (std::size_t i = from; i < f.start; ++i) lowered[i - from] = util::LowerAscii(text[i]);
  const std::string_view before(lowered.data(), f.start - from);
  return std::any_of(kBirthWords.begin(), kBirthWords.end(), [&](std::string_view word) {
    return before.find(word) != std::string_view::npos;
  });
}

// An age over 89 singles a person out as a name does ("she's 94" beside an e-mail address),
// and so do a date of birth and a room reference ("the lady in 5", `pairs_like_name`).
template <typename IsBirthDate>
bool PointsAtOnePerson(const Finding& f, IsBirthDate is_birth_date) {
  return rules::HasCategory(*f.rule, "name") || rules::HasCategory(*f.rule, "age") ||
         f.rule->pairs_like_name || is_birth_date(f);
}

// Another identifier of a different category near `f`, active before linkage: a name, an
// age over 89 or a date of birth with a phone number, an address, a recording or each other
// is about one person even when the post never says why they were seen ("Mrs. Sandoval
// changed her number, new one is ..."). Two kinds of identifier together are what makes a
// person findable. Other dates are left out: an event's date beside an organiser's name is
// the commonest pair in posts that are not about a patient at all.
template <typename Usable, typename IsBirthDate>
const Finding* OtherIdentifierNear(const Evidences& e, const Finding& f, bool short_post,
                                   Usable usable, IsBirthDate is_birth_date) {
  const bool f_is_person = PointsAtOnePerson(f, is_birth_date);
  if (rules::HasCategory(*f.rule, "date") && !is_birth_date(f)) return nullptr;
  // Only spans of another category (so of another rule) are offered here, and never one
  // inside `f` or around it: "Maddox" in "from Maddox Parish" is one phrase read two ways,
  // not a name and a place. Spans that only overlap chain two phrases ("the lady from 2210"
  // and "2210 Bellhaven Blvd") and do pair.
  const auto nested = [&](const Finding& x) {
    return (x.start >= f.start && x.end <= f.end) || (f.start >= x.start && f.end <= x.end);
  };
  return e.identifiers.FirstNearOfOtherCategory(
      f, kIdentifierPairBytes, short_post, [&](const Finding& x) {
        return !nested(x) && (!rules::HasCategory(*x.rule, "date") || is_birth_date(x)) &&
               (f_is_person || PointsAtOnePerson(x, is_birth_date)) && usable(x);
      });
}

// "+linkage: health 'discharged', patient 'pt'": which evidence kept a linked finding.
std::string LinkedBy(std::string_view text, const Finding& f, const Evidences& e, bool short_post) {
  std::string why = "+linkage:";
  if (const auto* health = e.health.Near(f, kLinkWindowBytes, short_post)) {
    why += " health " + QuoteEvidence(text, *health);
  }
  if (f.rule->linkage == Linkage::kPatientHealth) {
    if (const auto* patient = e.patient.Near(f, kLinkWindowBytes, short_post)) {
      why += ", patient " + QuoteEvidence(text, *patient);
    }
  }
  return why;
}

// The first word of a name finding, lower-cased ("Marisol" of "Marisol Vega").
std::string FirstWord(std::string_view text, const Finding& f) {
  std::string word;
  for (std::size_t i = f.start; i < f.end && i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (!std::isalpha(c) && c < 0x80) break;
    word.push_back(static_cast<char>(std::tolower(c)));
  }
  return word;
}

// A person a staff cue names ("our unit secretary Marisol") is staff wherever the post names
// them again ("we love you Marisol!!"), however far from the cue (up to kPostWideBytes): the
// same first name is the same colleague. Only staff cues spread, since they say who a person
// is.
void SpreadStaffNames(std::string_view text, const std::vector<Finding>& findings,
                      const std::vector<bool>& suppressed, std::vector<Reason>& reasons) {
  std::vector<std::pair<std::string, std::size_t>> staff;  // first word, finding it came from
  for (std::size_t i = 0; i < findings.size(); ++i) {
    if (suppressed[i] && rules::HasCategory(*findings[i].rule, "name") &&
        reasons[i].text.starts_with(kAboutStaff)) {
      if (auto word = FirstWord(text, findings[i]); word.size() > 1) staff.emplace_back(word, i);
    }
  }
  if (staff.empty()) return;
  // A name shared by two such colleagues takes the reason of the one whose rule is listed
  // first, then the earlier (the order explanations have always named them in).
  std::sort(staff.begin(), staff.end(), [&](const auto& a, const auto& b) {
    const auto& x = findings[a.second];
    const auto& y = findings[b.second];
    return std::tie(x.rule_index, x.start, x.end) < std::tie(y.rule_index, y.start, y.end);
  });
  for (std::size_t i = 0; i < findings.size(); ++i) {
    const auto& f = findings[i];
    if (!rules::HasCategory(*f.rule, "name") || f.rule->kind != Kind::kPhi ||
        f.rule->linkage == Linkage::kNone || f.action == rules::Action::kInfo ||
        reasons[i].Lowers()) {
      continue;
    }
    const auto word = FirstWord(text, f);
    for (const auto& [name, from] : staff) {
      if (name == word && GapBetween(f, findings[from]) <= kPostWideBytes) {
        reasons[i] = reasons[from];
        break;
      }
    }
  }
}

// A picture, or a place written without a digit (a town, a street without its number): the
// pair parts that everyday posts about no patient are full of.
bool LoosePairPart(std::string_view text, const Finding& f) {
  if (rules::HasCategory(*f.rule, "photo")) return true;
  if (!rules::HasCategory(*f.rule, "geo") || f.end > text.size()) return false;
  const auto span = text.substr(f.start, f.end - f.start);
  return std::none_of(span.begin(), span.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Words that say "patient" right before a finding, in the same clause ("my patient
// Marguerite in 304", "pt Delphine", "our patient Ana (surgery 4/22)"): the text itself says
// whose it is, and the rest of the post's voice cannot outweigh that. Only before it and
// with nothing but spaces or a colon between: after a comma ("Room 16, Mr. Gomez says") the
// words may be about someone else, and a cue that covers the finding (a room reference is
// both) cannot vouch for itself.
constexpr std::size_t kBesideBytes = 3;
bool NamedAsPatient(std::string_view text, const Finding& f, const Evidences& evidence) {
  const auto right_before = [&](const Finding& cue) {
    if (cue.end > f.start || f.start > text.size()) return false;
    const auto between = text.substr(cue.end, f.start - cue.end);
    return std::all_of(between.begin(), between.end(), [](char c) { return c == ' ' || c == ':'; });
  };
  return evidence.patient_cues.FirstNear(f, kBesideBytes, false, right_before) != nullptr;
}

// The post-voice model, last: a linked finding that kept its action, in words that read as
// the poster's own life, staff, an organisation or public people rather than a patient's,
// stays at info. Ages over 89 too: they were left to the rules ("she's 94" with a health
// word was taken for a patient in any voice), and were then the largest class of clean posts
// flagged: the poster's own grandmother at 96, a TV drama's 97-year-old, an exam vignette, a
// public figure's obituary. Letting the model read them cost no PHI post over the dev corpus
// and five files held out from its training.
void ApplyVoice(std::string_view text, const std::vector<Finding>& findings,
                const Evidences& evidence, const std::vector<bool>& linked,
                const rules::VoiceModel* voice, bool explain, std::vector<Reason>& reasons,
                std::optional<VoiceScore>& score) {
  if (voice == nullptr) return;
  for (std::size_t i = 0; i < findings.size(); ++i) {
    const auto& f = findings[i];
    if (!linked[i] || reasons[i].Lowers()) continue;
    if (NamedAsPatient(text, f, evidence)) continue;
    if (!score) score.emplace(text, *voice);
    if (!score->ReadsAsNoPatient(f.start, f.end)) continue;
    std::string why(kVoiceNotPatient);
    if (explain) {
      std::string words;
      for (const auto& word : score->StrongestAgainst(f.start, f.end, 3)) {
        words += (words.empty() ? " '" : ", '") + word + "'";
      }
      why += words.empty() ? ")" : ":" + words + ")";
    } else {
      why += ")";
    }
    reasons[i] = {Reason::Lack::kNothing, std::move(why)};
  }
}

constexpr std::size_t kNoPartner = static_cast<std::size_t>(-1);

// A pair stands on both its parts. When the post-voice model or a colleague's name lowers
// one part afterwards, a finding that only that part kept falls with it: in "Nonna Ida
// turned 96 today" the age was kept by the name beside it, and the name reads as the
// poster's own family. The lowered parts are read before any is copied, so the outcome
// does not depend on the order of the findings.
void DropPairsWithALoweredPart(const std::vector<std::size_t>& kept_by,
                               std::vector<Reason>& reasons) {
  std::vector<bool> lowered(reasons.size());
  for (std::size_t i = 0; i < reasons.size(); ++i) lowered[i] = reasons[i].Lowers();
  for (std::size_t i = 0; i < reasons.size(); ++i) {
    const auto partner = kept_by[i];
    if (partner < reasons.size() && !lowered[i] && lowered[partner]) reasons[i] = reasons[partner];
  }
}

}  // namespace

std::string LinkageReason::Words() && {
  switch (lack) {
    case Lack::kHealth:
      return std::string(kNoHealthNearby);
    case Lack::kPatient:
      return std::string(kNoPatientNearby);
    case Lack::kNothing:
      break;
  }
  return std::move(text);
}

LinkageWords ApplyLinkage(std::string_view text, std::vector<Finding>& findings,
                          const std::vector<Finding>& cues, bool name_evidence,
                          const rules::VoiceModel* voice) {
  const bool short_post = text.size() <= kShortPostBytes;
  // Evidence is read from the actions before this stage, so the order of findings (and
  // whether a name was demoted first) cannot change another finding's outcome.
  const Evidences evidence = CollectEvidence(text, findings, cues);
  const auto quote = name_evidence ? std::optional(text) : std::nullopt;
  std::vector<Reason> reasons(findings.size());
  // First what each finding lacks; then the pair rescue, which must not lean on an identifier
  // a suppressor lowered: an anniversary's "Happy 90th" beside the clinic's address is the
  // organisation speaking, and makes the address no patient's.
  std::vector<bool> suppressed(findings.size(), false);
  std::vector<bool> linked(findings.size(), false);
  for (std::size_t i = 0; i < findings.size(); ++i) {
    const auto& f = findings[i];
    if (f.rule->kind != Kind::kPhi || f.rule->linkage == Linkage::kNone ||
        f.action == rules::Action::kInfo) {
      continue;
    }
    linked[i] = true;
    reasons[i] = MissingLink(f, evidence, short_post, quote);
    suppressed[i] = !reasons[i].text.empty();  // a suppressor's words, not a lack
  }
  const auto usable = [&](const Finding& x) {
    const auto index = static_cast<std::size_t>(&x - findings.data());
    return index >= findings.size() || !suppressed[index];
  };
  // Looked at once per date here, not each time a pair search meets the date: a paste
  // dense with names would otherwise read the words before every date again and again.
  std::vector<bool> birth_date(findings.size(), false);
  for (std::size_t i = 0; i < findings.size(); ++i) birth_date[i] = IsBirthDate(text, findings[i]);
  const auto is_birth_date = [&](const Finding& x) {
    const auto index = static_cast<std::size_t>(&x - findings.data());
    return index < findings.size() && birth_date[index];
  };
  // A place without a number, or a picture, is one person's with a name beside it only
  // where care is near: "Throwback with Tom and Jess in Cabo" and "lunch with Carla (pic)"
  // are personal posts, and only the post-voice model used to stand between them and a
  // block. Numbers, and addresses with a house number, pair anywhere ("Mrs. Sandoval's new
  // number is ...").
  // Once per finding, like the dates above: every pair search offers the same neighbours.
  std::vector<bool> loose(findings.size(), false);
  for (std::size_t i = 0; i < findings.size(); ++i) {
    loose[i] = LoosePairPart(text, findings[i]) &&
               !evidence.care.AnyNear(findings[i], kLinkWindowBytes, short_post);
  }
  const auto loose_without_care = [&](const Finding& x) {
    const auto index = static_cast<std::size_t>(&x - findings.data());
    return index < findings.size() && loose[index];
  };
  const auto pairable = [&](const Finding& x) { return usable(x) && !loose_without_care(x); };
  std::vector<std::size_t> kept_by(findings.size(), kNoPartner);
  for (std::size_t i = 0; i < findings.size(); ++i) {
    if (!linked[i]) continue;
    const auto& f = findings[i];
    if (reasons[i].lack != Reason::Lack::kNothing && !loose_without_care(f)) {
      if (const auto* other =
              OtherIdentifierNear(evidence, f, short_post, pairable, is_birth_date)) {
        reasons[i] = {Reason::Lack::kNothing,
                      name_evidence ? "+linkage: with " + other->rule->category + " nearby" : ""};
        kept_by[i] = static_cast<std::size_t>(other - findings.data());
        continue;
      }
    }
    if (reasons[i].empty() && name_evidence) {
      reasons[i].text = LinkedBy(text, f, evidence, short_post);
    }
  }
  // The words' scores are read only when some finding gets that far, or the model raises,
  // and then once for both.
  std::optional<VoiceScore> score;
  ApplyVoice(text, findings, evidence, linked, voice, quote.has_value(), reasons, score);
  SpreadStaffNames(text, findings, suppressed, reasons);
  DropPairsWithALoweredPart(kept_by, reasons);
  for (std::size_t i = 0; i < findings.size(); ++i) {
    if (reasons[i].Lowers()) findings[i].action = rules::Action::kInfo;
  }
  // Last, on the actions linkage settled: a story the model reads as a patient's, with no
  // identifier kept near it, is a finding of its own (scan/patient_voice.h).
  if (voice != nullptr) {
    std::vector<std::string> words;
    auto raised = PatientVoiceFindings(text, findings, *voice, quote.has_value(), score, words);
    for (std::size_t i = 0; i < raised.size(); ++i) {
      findings.push_back(std::move(raised[i]));
      reasons.push_back({Reason::Lack::kNothing, std::move(words[i])});
    }
  }
  return LinkageWords(std::move(reasons));
}

}  // namespace phiguard::scan
