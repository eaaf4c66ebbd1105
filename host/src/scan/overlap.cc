#include "scan/overlap.h"

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <map>
#include <numeric>

namespace phiguard::scan {

bool IsStronger(const Finding& a, const Finding& b) {
  if (a.action != b.action) return a.action > b.action;
  // Of two names at one action, the longer is the name: "Linda Baker" by the rule for a
  // name after a patient cue, over "Linda" by the given-name rule, so the name is one
  // finding and one fix replaces all of it. (Other categories keep the surer rule: its
  // advice fits better.)
  if (a.end - a.start != b.end - b.start && a.rule->category == "name" &&
      b.rule->category == "name") {
    return a.end - a.start > b.end - b.start;
  }
  if (a.rule->severity != b.rule->severity) return a.rule->severity > b.rule->severity;
  if (a.confidence != b.confidence) return a.confidence > b.confidence;
  if (a.end - a.start != b.end - b.start) return a.end - a.start > b.end - b.start;
  // Equal candidates: the earlier, then the rule listed first. Without the last step, which
  // of two rules with the same span (an MBI that is also a plan ID) won depended on how the
  // sort met them, and so on the rest of the text.
  if (a.start != b.start) return a.start < b.start;
  return a.rule_index < b.rule_index;
}

std::vector<Finding> ResolveOverlaps(std::vector<Finding> findings) {
  // Positions sorted, not findings: a finding is over a hundred bytes, and a pasted
  // document sorts thousands of them twice.
  std::vector<std::uint32_t> order(findings.size());
  std::iota(order.begin(), order.end(), 0u);
  std::sort(order.begin(), order.end(),
            [&](std::uint32_t a, std::uint32_t b) { return IsStronger(findings[a], findings[b]); });
  // Accepted spans keyed by start; spans in the map never overlap each other.
  std::map<std::size_t, std::size_t> taken;
  std::vector<std::uint32_t> kept;
  for (const auto i : order) {
    const auto& finding = findings[i];
    auto next = taken.lower_bound(finding.start);
    if (next != taken.end() && next->first < finding.end) continue;
    if (next != taken.begin() && std::prev(next)->second > finding.start) continue;
    taken.emplace(finding.start, finding.end);
    kept.push_back(i);
  }
  std::sort(kept.begin(), kept.end(), [&](std::uint32_t a, std::uint32_t b) {
    return findings[a].start < findings[b].start;
  });
  std::vector<Finding> result;
  result.reserve(kept.size());
  for (const auto i : kept) result.push_back(std::move(findings[i]));
  return result;
}

}  // namespace phiguard::scan
