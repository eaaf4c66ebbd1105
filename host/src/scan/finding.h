#pragma once
// A finding: one rule matched one span. Offsets are into the normalised text until
// Scanner maps them to the original (UTF-8 bytes and UTF-16 code units).

#include <cstdint>
#include <string>
#include <vector>

#include "rules/rule.h"
#include "util/normalized_text.h"

namespace phiguard::scan {

struct Finding {
  const rules::Rule* rule = nullptr;
  std::uint32_t rule_index = 0;
  std::size_t start = 0;  // normalised text, bytes
  std::size_t end = 0;
  double confidence = 0;
  rules::Action action = rules::Action::kInfo;  // after context and linkage
  // Its category is in audit mode: kept for the record, left out of the verdict and never
  // shown (docs/design.md "Policy").
  bool audited = false;
  util::OriginalSpan original;             // filled in by the scanner at the end
  std::vector<std::string> context_words;  // which cues fired (for `rules explain`)
};

// Stronger findings win overlaps: stricter action, then severity, then confidence, then
// the longer span, then the earlier, then the rule listed first (a total order, so the
// winner never depends on the rest of the text).
bool IsStronger(const Finding& a, const Finding& b);

// Bytes between two spans (0 when they touch or overlap): how "near" linkage and
// combination severity measure.
inline std::size_t GapBetween(const Finding& a, const Finding& b) {
  if (a.end <= b.start) return b.start - a.end;
  if (b.end <= a.start) return a.start - b.end;
  return 0;
}

// The order findings are reported in: by start, and at one start phi before health before
// policy (overlaps are resolved within a kind, so one kind never has two at one start).
inline bool ReportedBefore(const Finding& a, const Finding& b) {
  if (a.start != b.start) return a.start < b.start;
  return a.rule->kind < b.rule->kind;
}

}  // namespace phiguard::scan
