#pragma once
// The scan service both programs share: the active rule set, a scanner for it, and the
// organisation's policy overrides. phiguard-host and `phiguard scan` give the same answers
// because they run this same code.

#include <chrono>
#include <memory>
#include <string_view>
#include <vector>

#include "policy/verdict.h"
#include "scan/compiled_rules.h"
#include "scan/edit_rescanner.h"
#include "scan/scanner.h"

namespace phiguard::engine {

struct ScanReport {
  std::vector<scan::Finding> findings;
  policy::Verdict verdict = policy::Verdict::kAllow;
  std::string rules_version;
  std::uint64_t scan_us = 0;
  std::size_t candidates = 0;
  // The raw-match cap stopped the prefilter: text after that point was not checked. The
  // findings then also hold one of rule kScanCappedRuleId, and the verdict is at least warn.
  bool capped = false;
};

// The rule id of the finding that says a scan was cut short (docs/protocol.md "scan").
inline constexpr std::string_view kScanCappedRuleId = "scan.capped";

// Where the scanned text is being written (the request's `site` and `surface`): packs that
// name surfaces or sites apply only there (rules::AppliesTo). Empty fields mean "not said",
// and every rule applies.
struct ScanScope {
  std::string_view site;
  std::string_view surface;
};

// Whether a long text is rescanned only around what changed since it was last scanned.
// The host does (the extension sends the whole composer after each pause in typing);
// `phiguard scan` does not (its inputs are unrelated, and each would be kept for nothing).
enum class EditRescans { kOn, kOff };

// What an idle host keeps of its RE2 matchers (scan::RegexCache::EstimatedBytes): about
// 35 regexes of the default packs, where a 64 KB paste of the dev posts reaches 177 and
// grows the heap by 15.8 MB. docs/design.md "Budgets": resident memory <= 40 MB.
inline constexpr std::size_t kIdleRegexBytes = std::size_t{3} << 20;

// Single-threaded by design (one Hyperscan scratch). Rule sets are swapped whole between
// scans, so a scan never sees half of an update.
class Engine {
 public:
  explicit Engine(std::shared_ptr<const scan::CompiledRules> rules,
                  EditRescans rescans = EditRescans::kOn);

  ScanReport Scan(std::string_view text, ScanScope scope = {});

  // The same answer as Scan (without edit rescans), scanning at most about `piece_bytes` at
  // a time (scan/piecewise_scan.h): for texts longer than the host accepts.
  ScanReport ScanInPieces(std::string_view text, std::size_t piece_bytes, ScanScope scope = {});

  // Makes `rules` active for every later scan.
  void ReplaceRules(std::shared_ptr<const scan::CompiledRules> rules);
  void SetPolicy(policy::PolicyOverrides overrides) { overrides_ = std::move(overrides); }
  // The organisation's allow-list (scan/allow_list.h) for every later scan; null: none.
  void SetAllowList(std::shared_ptr<const scan::AllowList> allow_list);
  // Findings name the evidence that linked them (for `rules explain`; the host has no use
  // for it and does not pay for it).
  void NameLinkEvidence() {
    name_evidence_ = true;
    scanner_->NameLinkEvidence(true);
  }

  const scan::CompiledRules& rules() const { return scanner_->rules(); }

  // Lets go of what later scans can rebuild, for a host with no request to answer: the RE2
  // matchers past kIdleRegexBytes, least recently used first (scan/regex_cache.h), and
  // then, if that was much, the heap's free pages. Scans answer the same afterwards, the
  // first ones a little slower where they compile a released regex again.
  void ReleaseIdleMemory();

 private:
  ScanReport Report(std::string_view text, scan::ScanOutput output, ScanScope scope,
                    std::chrono::steady_clock::time_point started) const;

  std::unique_ptr<scan::Scanner> scanner_;
  // Long texts typed into are rescanned around the edit (scan/edit_rescanner.h); null
  // with EditRescans::kOff.
  std::unique_ptr<scan::EditRescanner> rescanner_;
  policy::PolicyOverrides overrides_;
  std::shared_ptr<const scan::AllowList> allow_list_;
  bool name_evidence_ = false;
};

}  // namespace phiguard::engine
