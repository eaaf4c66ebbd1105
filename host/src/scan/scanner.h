#pragma once
// The scan pipeline, in named stages:
//   normalise (with offset map) -> Hyperscan prefilter -> RE2 confirm (start + span group)
//   -> named validators -> context words -> the organisation's allow-list -> linkage
//   -> overlap resolution
//   -> map to original offsets.
// Policy (verdicts) sits on top, in policy/.

#include <memory>
#include <string_view>
#include <vector>

#include "scan/allow_list.h"
#include "scan/compiled_rules.h"
#include "scan/finding.h"
#include "scan/regex_cache.h"

namespace phiguard::scan {

// Candidates below this confidence after context are dropped rather than reported.
inline constexpr double kMinReportedConfidence = 0.3;

struct ScanOutput {
  std::vector<Finding> findings;  // text order, offsets mapped to the original
  std::vector<Finding> cues;      // patient cues that fed linkage; never reported
  std::size_t candidates = 0;     // raw prefilter matches, for logs and `rules explain`
  bool capped = false;            // the raw-match cap cut the prefilter short: later text unscanned
};

// Not thread-safe: owns one Hyperscan scratch. Use one Scanner per thread.
class Scanner {
 public:
  explicit Scanner(std::shared_ptr<const CompiledRules> rules);

  // `text` must be valid UTF-8.
  ScanOutput Scan(std::string_view text);

  // The scan of text that is already normalised (util::NormalizedText::text(), or a slice
  // of it): offsets stay in that text, and `original` is left for the caller to fill.
  ScanOutput ScanNormalized(std::string_view normalized_text);

  const CompiledRules& rules() const { return *rules_; }
  // Findings carry the context words that moved them and the evidence that linked them
  // (ApplyLinkage), for `rules explain`; the host has no use for the strings.
  void NameLinkEvidence(bool on) { name_evidence_ = on; }
  // The organisation's own names and numbers, dropped before linkage (scan/allow_list.h);
  // null or empty: none.
  void SetAllowList(std::shared_ptr<const AllowList> allow_list) {
    allow_list_ = std::move(allow_list);
  }
  // Releases RE2 matchers, least recently used first, while those held are estimated at
  // more than `budget_bytes` (scan/regex_cache.h). Returns the estimated bytes released.
  // Findings do not change: a released matcher is compiled again when a candidate needs it.
  std::size_t ReleaseRegexes(std::size_t budget_bytes) { return regexes_.Release(budget_bytes); }
  const RegexCache& regexes() const { return regexes_; }

 private:
  struct RawMatch {
    unsigned int id;
    std::size_t end;
  };
  std::vector<RawMatch> Prefilter(std::string_view text, bool& capped);
  // The last match RE2 confirmed for one pattern rule during a scan; until == 0: none yet
  // (rules cannot match empty text, so a match ends after offset 0).
  struct ConfirmedMatch {
    std::size_t start = 0;
    std::size_t until = 0;  // its end
    // Where the longest match from `reach_from` stops (0: there is none), as ExtendConfirmed
    // last found it. That RE2 run depends only on the start, so an end past `reach` from the
    // same start is known out of reach without running it again (npos: nothing known yet).
    std::size_t reach_from = std::string_view::npos;
    std::size_t reach = 0;
  };
  // The confirmed findings in text order: by start, then rule, then end.
  std::vector<Finding> Confirm(std::string_view text, const std::vector<RawMatch>& matches);
  // Whether the longest match from `last`'s start reaches `end`: then `last` grows to it
  // and `span` is its span group.
  bool ExtendConfirmed(std::string_view text, std::uint32_t rule_index, std::size_t end,
                       ConfirmedMatch& last, re2::StringPiece& span);
  void ScoreAndFilter(std::string_view text, std::vector<Finding>& findings) const;

  std::shared_ptr<const CompiledRules> rules_;
  bool name_evidence_ = false;
  std::shared_ptr<const AllowList> allow_list_;
  ScratchPtr scratch_;
  RegexCache regexes_;  // the rules' RE2s, compiled on first use
};

}  // namespace phiguard::scan
