#include "scan/scanner.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <climits>
#include <functional>
#include <iterator>
#include <optional>
#include <stdexcept>
#include <tuple>

#include "scan/context_index.h"
#include "scan/context_scorer.h"
#include "scan/linkage.h"
#include "scan/overlap.h"
#include "util/ascii.h"
#include "util/normalized_text.h"

namespace phiguard::scan {
namespace {

// Bounds the raw match list (per database) so a pathological paste (a megabyte of digits)
// cannot grow it without limit; what is past the cap is not reported.
constexpr std::size_t kMaxRawMatches = 200000;

// Each database gets its own share, so a paste that floods the term lists with hits is
// still scanned for patterns.
struct RawMatches {
  std::vector<std::pair<unsigned int, std::size_t>> matches;
  std::size_t limit = 0;
  unsigned int id_count = 0;    // ids are 0..id_count-1
  std::size_t unknown_ids = 0;  // matches with any other id (a database not built for the set)
};

int CollectMatch(unsigned int id, unsigned long long /*from*/, unsigned long long to,
                 unsigned int /*flags*/, void* context) {
  auto* raw = static_cast<RawMatches*>(context);
  // Every id indexes the rule set's targets: one from elsewhere (a database swapped into
  // the cache) is dropped here, never used as an index.
  if (id >= raw->id_count) {
    ++raw->unknown_ids;
    return 0;
  }
  if (raw->matches.size() >= raw->limit) return 1;  // non-zero stops the scan
  raw->matches.emplace_back(id, static_cast<std::size_t>(to));
  return 0;
}

// A rule's confirmed span, before it becomes a finding. Ordered as findings are from
// Confirm on: by start, then rule, then end (the stages after it want text order).
struct ConfirmedSpan {
  std::size_t start;
  std::uint32_t rule_index;
  std::size_t end;
  auto operator<=>(const ConfirmedSpan&) const = default;
};

// Sorts spans that come nearly in order. Hyperscan reports each database's matches by
// end, and a span starts at most its rule's width before its end, so within a stretch of
// rising ends (`stretches`: where each begins) a span is seldom far from its place:
// insertion costs what the disorder is, up to a cap past which the stretch is sorted the
// general way. Then the stretches are merged.
// NOTE: a general sort of the 41,000 spans of 64 KB of 'Mr. Abe ' was a sixteenth of the
// scan.
void SortNearlySorted(std::vector<ConfirmedSpan>& spans, std::vector<std::size_t> stretches) {
  constexpr std::size_t kMaxStretches = 8;  // more, and a general sort is simpler
  if (stretches.size() > kMaxStretches) {
    std::sort(spans.begin(), spans.end());
    return;
  }
  stretches.push_back(spans.size());
  for (std::size_t s = 0; s + 1 < stretches.size(); ++s) {
    const auto first = spans.begin() + static_cast<std::ptrdiff_t>(stretches[s]);
    const auto last = spans.begin() + static_cast<std::ptrdiff_t>(stretches[s + 1]);
    std::size_t budget = 8 * static_cast<std::size_t>(last - first);  // moves
    for (auto it = first; it != last && budget > 0; ++it) {
      auto span = *it;
      auto hole = it;
      for (; hole != first && span < *(hole - 1) && budget > 0; --hole, --budget) {
        *hole = *(hole - 1);
      }
      *hole = span;
    }
    if (budget == 0) std::sort(first, last);
  }
  for (std::size_t s = 1; s + 1 < stretches.size(); ++s) {
    std::inplace_merge(spans.begin(), spans.begin() + static_cast<std::ptrdiff_t>(stretches[s]),
                       spans.begin() + static_cast<std::ptrdiff_t>(stretches[s + 1]));
  }
}

// The span group RE2 captured, kept unless it matched nothing.
void AddSpan(std::string_view text, std::uint32_t rule_index, const re2::StringPiece& span,
             std::vector<ConfirmedSpan>& spans) {
  if (span.data() == nullptr || span.empty()) return;
  const auto start = static_cast<std::size_t>(span.data() - text.data());
  spans.push_back({start, rule_index, start + span.size()});
}

// Whether a confirmed span passes its rule's validator (if it has one). An empty span
// carries no finding, so it "passes": there is nothing to look further for.
bool PassesValidator(const CompiledRule& compiled, const re2::StringPiece& span) {
  if (!compiled.validator || span.data() == nullptr || span.empty()) return true;
  return compiled.validator(std::string_view(span.data(), span.size()));
}

// Findings that describe a situation around a patient: their spans hold the patient's
// identifiers ("Video of Mr. Kowalczyk", "the only pharmacist in Wexley Falls", a link with
// the ID in it) rather than compete with them.
bool DescribesASituation(const Finding& f) {
  const auto& rule = *f.rule;
  return rules::HasCategory(rule, "photo") || rules::HasCategory(rule, "biometric") ||
         rules::HasCategory(rule, "patient_detail") || rules::HasCategory(rule, "url");
}

// The positions of `findings` grouped by rule (a counting sort: `rule_count` rules), each
// rule's in the order they had.
std::vector<std::size_t> IndicesByRule(const std::vector<Finding>& findings,
                                       std::size_t rule_count) {
  std::vector<std::size_t> begin(rule_count + 1, 0);
  for (const auto& f : findings) ++begin[f.rule_index + 1];
  for (std::size_t r = 0; r < rule_count; ++r) begin[r + 1] += begin[r];
  std::vector<std::size_t> order(findings.size());
  for (std::size_t i = 0; i < findings.size(); ++i) order[begin[findings[i].rule_index]++] = i;
  return order;
}

// Word checks of the spans seen last, per scan. A check depends only on its rule and the
// span's bytes, and a paste repeats its names: the same name checked again costs a hash
// instead of a search in each of the rule's word lists (a fifth of a scan dense with
// names). Direct-mapped and fixed in size, so a text without repeats pays only the hash.
class WordCheckMemo {
 public:
  bool Passes(const rules::WordCheck& check, std::uint32_t rule_index, std::string_view span) {
    const std::size_t hash = std::hash<std::string_view>{}(span) ^ (rule_index * 0x9E3779B9u);
    auto& slot = slots_[hash % slots_.size()];
    if (slot.used && slot.rule_index == rule_index && slot.span == span) return slot.passes;
    slot = {true, rule_index, span, check.Passes(span)};
    return slot.passes;
  }

 private:
  struct Slot {
    bool used = false;
    std::uint32_t rule_index = 0;
    std::string_view span;  // into the scanned text, which outlives the memo
    bool passes = false;
  };
  std::array<Slot, 64> slots_{};
};

// A finding's confidence and action after its context words; false when they drop it.
bool Score(const rules::Rule& rule, const ContextHits& hits, bool name_evidence, Finding& finding) {
  if (rule.context.required && hits.raised.empty()) return false;
  finding.confidence = AdjustConfidence(rule.confidence, hits);
  if (finding.confidence < kMinReportedConfidence) return false;
  finding.action = rule.action;
  // The words are for `rules explain` only: the host's scans skip the strings.
  if (name_evidence) {
    finding.context_words.assign(hits.raised.begin(), hits.raised.end());
    for (const auto word : hits.lowered) finding.context_words.push_back("-" + std::string(word));
  }
  return true;
}

// Overlaps are resolved within each kind only: a health term inside an identifier's span,
// or a policy finding on a patient's handle, says something the identifier does not, and
// the identifier it linked to must not swallow it. Within phi, identifiers and situations
// are resolved apart for the same reason: the name inside "Video of Mr. Kowalczyk" is the
// name to take out, and the video is still a video of a patient. Linkage's words go into the
// findings kept, and only those.
std::vector<Finding> ResolveOverlapsByKind(std::vector<Finding> findings, LinkageWords& words) {
  const auto layer_of = [](const Finding& f) -> std::uint32_t {
    switch (f.rule->kind) {
      case rules::Kind::kPhi:
        return DescribesASituation(f) ? 1 : 0;
      case rules::Kind::kHealth:
        return 2;
      case rules::Kind::kPolicy:
        return 3;
      case rules::Kind::kCue:
        break;
    }
    return 4;  // cues are never reported (ScanNormalized took them out)
  };
  std::array<std::vector<std::uint32_t>, 4> layers;
  std::vector<std::uint32_t> layer(findings.size());
  for (std::uint32_t i = 0; i < findings.size(); ++i) {
    layer[i] = layer_of(findings[i]);
    if (layer[i] < layers.size()) layers[layer[i]].push_back(i);
  }
  // Positions, not findings, go through each kind's resolution: moving every finding out
  // and back per kind was a fifth of a scan dense with names.
  std::vector<bool> kept(findings.size(), false);
  for (const auto& positions : layers) MarkKept(findings, positions, kept);
  std::vector<std::uint32_t> order;
  for (std::uint32_t i = 0; i < findings.size(); ++i) {
    if (kept[i]) order.push_back(i);
  }
  // The reported order: by start, then kind; two phi findings at one start (an identifier
  // and a situation) in layer order. Kept findings of one layer never share a start, so
  // the key is unique and the order does not depend on the sort.
  const auto reported_before = [&](std::uint32_t a, std::uint32_t b) {
    return std::tuple(findings[a].start, findings[a].rule->kind, layer[a]) <
           std::tuple(findings[b].start, findings[b].rule->kind, layer[b]);
  };
  if (!std::is_sorted(order.begin(), order.end(), reported_before)) {
    std::sort(order.begin(), order.end(), reported_before);
  }
  std::vector<Finding> reported;
  reported.reserve(order.size());
  for (const auto i : order) {
    words.WriteInto(i, findings[i]);
    reported.push_back(std::move(findings[i]));
  }
  return reported;
}

// The organisation's own names and numbers leave before linkage: they are no patient's, and
// must not tie a health word to one. An identifier inside an allowed one ("Rivera" inside
// "Jordan Rivera", from another name rule) goes with it; one that merely overlaps stays.
void DropAllowed(std::string_view text, const AllowList& allow, std::vector<Finding>& findings) {
  std::vector<std::pair<std::size_t, std::size_t>> allowed;  // (start, end)
  for (const auto& f : findings) {
    if (allow.Allows(*f.rule, text.substr(f.start, f.end - f.start))) {
      allowed.emplace_back(f.start, f.end);
    }
  }
  if (allowed.empty()) return;
  std::sort(allowed.begin(), allowed.end());
  // reach[i]: the furthest end of the allowed spans up to i, so one search per finding
  // finds whether any span starting at or before it also ends at or after it.
  std::vector<std::size_t> reach(allowed.size());
  for (std::size_t i = 0; i < allowed.size(); ++i) {
    reach[i] = std::max(allowed[i].second, i > 0 ? reach[i - 1] : 0);
  }
  std::erase_if(findings, [&](const Finding& f) {
    if (!allow.Reaches(*f.rule)) return false;
    const auto after = std::upper_bound(allowed.begin(), allowed.end(),
                                        std::pair{f.start, std::string_view::npos});
    if (after == allowed.begin()) return false;
    return reach[static_cast<std::size_t>(after - allowed.begin()) - 1] >= f.end;
  });
}

}  // namespace

Scanner::Scanner(std::shared_ptr<const CompiledRules> rules)
    : rules_(std::move(rules)), regexes_(rules_->rules().size()) {
  auto scratch = rules_->TakeScratch();
  if (!scratch.ok()) throw std::runtime_error(scratch.error().reason);
  scratch_ = std::move(scratch).value();
}

std::vector<Scanner::RawMatch> Scanner::Prefilter(std::string_view text, bool& capped) {
  RawMatches raw;
  raw.id_count = static_cast<unsigned int>(rules_->target_count());
  capped = false;
  for (const auto& database : rules_->databases()) {
    raw.limit = raw.matches.size() + kMaxRawMatches;
    // hs_scan takes an unsigned int length; the protocol caps text far below 4 GiB.
    const hs_error_t rc =
        hs_scan(database.get(), text.data(), static_cast<unsigned int>(text.size()), 0,
                scratch_.get(), CollectMatch, &raw);
    if (rc == HS_SCAN_TERMINATED) capped = true;
  }
  if (raw.unknown_ids > 0) {
    spdlog::error("prefilter reported {} matches with ids outside the rule set; dropped",
                  raw.unknown_ids);
  }
  // A pattern with a variable tail ("[a-z0-9/]{0,100}" after a URL's host) reports a match
  // at every end along the tail. Ends of one pattern at consecutive offsets are one match
  // growing, and the longest is the one that counts (overlaps keep the longest too), so
  // only the last of each run is confirmed: one RE2 call instead of a hundred. Term lists
  // are left alone: there, each end is a different term.
  std::vector<RawMatch> matches;
  matches.reserve(raw.matches.size());
  // Per match id, the index in `matches` of its last match (ids are dense: one per
  // expression); npos: none yet.
  std::vector<std::size_t> last_of_pattern(rules_->target_count(), std::string_view::npos);
  for (const auto& [id, end] : raw.matches) {
    const bool pattern = rules_->rules()[rules_->target(id).rule_index].terms.empty();
    if (pattern) {
      auto& last = last_of_pattern[id];
      if (last != std::string_view::npos && matches[last].end + 1 == end) {
        matches[last].end = end;
        continue;
      }
      last = matches.size();
    }
    matches.push_back({id, end});
  }
  return matches;
}

bool Scanner::ExtendConfirmed(std::string_view text, std::uint32_t rule_index, std::size_t end,
                              ConfirmedMatch& last, re2::StringPiece& span) {
  const auto& compiled = rules_->rules()[rule_index];
  const bool bounded = compiled.max_width != UINT_MAX;
  if (bounded && end - last.start > compiled.max_width) return false;  // cannot reach
  // NOTE: a paste of one phrase asked again at each repetition's first end, and RE2 gave
  // the answer it gave before: 64 KB of one situational phrase 20.5 -> 16.4 ms.
  if (last.reach_from == last.start && last.reach < end) return false;
  const std::size_t search_end =
      bounded ? std::min(text.size(), last.start + compiled.max_width) : text.size();
  const int groups = static_cast<int>(compiled.span_capture) + 1;
  re2::StringPiece captures[21];
  last.reach_from = last.start;
  last.reach = 0;
  if (!regexes_.Extend(rule_index, compiled)
           .Match(text, last.start, search_end, re2::RE2::ANCHOR_START, captures, groups)) {
    return false;
  }
  const std::size_t stop = last.start + captures[0].size();
  last.reach = stop;
  if (stop < end) return false;  // a different match ends here
  last.until = stop;
  span = captures[compiled.span_capture];
  return true;
}

std::vector<Finding> Scanner::Confirm(std::string_view text, const std::vector<RawMatch>& matches) {
  // Spans first, findings after: the same span is often confirmed several times, and
  // sorting 24-byte spans to drop the repeats is cheaper than sorting findings.
  std::vector<ConfirmedSpan> spans;
  spans.reserve(matches.size());
  // The last match confirmed per pattern rule. Hyperscan reports every end of a match (a
  // phrase of up to eight words ends eight times); one forward RE2 run from the first
  // match's start finds the longest, and the ends inside it then cost nothing. Text dense
  // with one phrase otherwise cost an RE2 call per word.
  std::vector<ConfirmedMatch> confirmed(rules_->rules().size());
  std::vector<std::size_t> stretches{0};  // where each stretch of rising ends begins in spans
  std::size_t previous_end = 0;
  for (const auto& match : matches) {
    if (match.end < previous_end) stretches.push_back(spans.size());
    previous_end = match.end;
    const auto& target = rules_->target(match.id);
    const auto& compiled = rules_->rules()[target.rule_index];
    if (!compiled.terms.empty()) {
      const std::size_t start = compiled.terms.StartOfTermEndingAt(text, match.end);
      if (start != std::string_view::npos &&
          PassesValidator(compiled, re2::StringPiece(text.data() + start, match.end - start))) {
        spans.push_back({start, target.rule_index, match.end});
      }
      continue;
    }
    auto& last = confirmed[target.rule_index];
    if (match.end <= last.until) continue;  // inside the match confirmed last
    if (last.until > 0) {
      re2::StringPiece span;
      ConfirmedMatch grown = last;
      if (ExtendConfirmed(text, target.rule_index, match.end, grown, span) &&
          PassesValidator(compiled, span)) {
        last = grown;
        AddSpan(text, target.rule_index, span, spans);
        continue;
      }
      last.reach_from = grown.reach_from;  // what the attempt learnt holds whatever comes next
      last.reach = grown.reach;
      // Not one growing match, or the longest fails its check while a shorter one ending
      // here may pass (an IBAN followed by "EUR"): confirm this end on its own.
    }
    // End-anchored confirm on the text up to the reported end, starting no earlier than
    // the pattern's maximum width allows: leftmost start = the longest match ending here.
    // (RE2 runs an end-anchored pattern backwards from the end: a few bytes, not a window.)
    const std::string_view prefix = text.substr(0, match.end);
    const std::size_t window_start =
        compiled.max_width == UINT_MAX || compiled.max_width >= match.end
            ? 0
            : match.end - compiled.max_width;
    const int groups = static_cast<int>(compiled.span_capture) + 1;
    re2::StringPiece captures[21];
    if (!regexes_.Confirm(target.rule_index, compiled)
             .Match(prefix, window_start, prefix.size(), re2::RE2::UNANCHORED, captures, groups)) {
      continue;  // the engines disagree; RE2 is the authority on spans
    }
    last.start = static_cast<std::size_t>(captures[0].data() - text.data());
    last.until = match.end;
    // Each confirmed span is checked here, once; ScoreAndFilter does not check again.
    if (PassesValidator(compiled, captures[compiled.span_capture])) {
      AddSpan(text, target.rule_index, captures[compiled.span_capture], spans);
    }
  }
  // Several ends of one match (\d{9,12}) or repeated terms confirm to the same span.
  SortNearlySorted(spans, std::move(stretches));
  spans.erase(std::unique(spans.begin(), spans.end()), spans.end());
  std::vector<Finding> findings(spans.size());
  for (std::size_t i = 0; i < spans.size(); ++i) {
    findings[i].rule = rules_->rules()[spans[i].rule_index].rule;
    findings[i].rule_index = spans[i].rule_index;
    findings[i].start = spans[i].start;
    findings[i].end = spans[i].end;
  }
  return findings;
}

void Scanner::ScoreAndFilter(std::string_view text, std::vector<Finding>& findings) const {
  if (findings.empty()) return;
  // The words of the span and beside it first: they need no context.
  WordCheckMemo memo;
  std::erase_if(findings, [&](const Finding& finding) {
    const auto& compiled = rules_->rules()[finding.rule_index];
    const auto& rule = *compiled.rule;
    return (!rule.words.empty() &&
            !memo.Passes(rule.words, finding.rule_index,
                         text.substr(finding.start, finding.end - finding.start))) ||
           compiled.drops.Drops(text, finding.start, finding.end);
  });
  const std::string lowered = util::LowerAscii(text);
  std::vector<bool> dropped(findings.size(), false);
  std::vector<std::pair<std::size_t, std::size_t>> spans;
  // One rule at a time, so that its context phrases are found once over the windows of
  // all its findings.
  const auto by_rule = IndicesByRule(findings, rules_->rules().size());
  for (std::size_t first = 0, last = 0; first < by_rule.size(); first = last) {
    const auto rule_index = findings[by_rule[first]].rule_index;
    const auto& compiled = rules_->rules()[rule_index];
    spans.clear();
    for (last = first; last < by_rule.size() && findings[by_rule[last]].rule_index == rule_index;
         ++last) {
      spans.emplace_back(findings[by_rule[last]].start, findings[by_rule[last]].end);
    }
    std::optional<ContextIndex> index;
    if (compiled.context.Indexable()) index.emplace(lowered, compiled.context, spans);
    for (std::size_t at = first; at < last; ++at) {
      const std::size_t i = by_rule[at];
      auto& finding = findings[i];
      const ContextHits hits =
          index ? index->Find(finding.start, finding.end)
                : FindContext(lowered, finding.start, finding.end, compiled.rule->context);
      dropped[i] = !Score(*compiled.rule, hits, name_evidence_, finding);
    }
  }
  std::size_t kept = 0;
  for (std::size_t i = 0; i < findings.size(); ++i) {
    if (dropped[i]) continue;
    if (kept != i) findings[kept] = std::move(findings[i]);
    ++kept;
  }
  findings.resize(kept);
}

ScanOutput Scanner::Scan(std::string_view text) {
  const util::NormalizedText normalized(text);
  auto output = ScanNormalized(normalized.text());
  for (auto* list : {&output.findings, &output.cues}) {
    for (auto& finding : *list)
      finding.original = normalized.ToOriginal(finding.start, finding.end);
  }
  return output;
}

ScanOutput Scanner::ScanNormalized(std::string_view scan_text) {
  ScanOutput output;
  const auto matches = Prefilter(scan_text, output.capped);
  output.candidates = matches.size();
  auto findings = Confirm(scan_text, matches);
  ScoreAndFilter(scan_text, findings);
  const auto cue_end =
      std::stable_partition(findings.begin(), findings.end(),
                            [](const Finding& f) { return f.rule->kind != rules::Kind::kCue; });
  output.cues.assign(std::make_move_iterator(cue_end), std::make_move_iterator(findings.end()));
  findings.erase(cue_end, findings.end());
  if (allow_list_ && !allow_list_->empty()) DropAllowed(scan_text, *allow_list_, findings);
  auto words =
      ApplyLinkage(scan_text, findings, output.cues, name_evidence_, rules_->voice_model());
  output.findings = ResolveOverlapsByKind(std::move(findings), words);
  return output;
}

}  // namespace phiguard::scan
