#include "scan/overlap.h"

#include <algorithm>
#include <iterator>
#include <map>

namespace phiguard::scan {

bool IsStronger(const Finding& a, const Finding& b) {
  if (a.action != b.action) return a.action > b.action;
  if (a.rule->severity != b.rule->severity) return a.rule->severity > b.rule->severity;
  if (a.confidence != b.confidence) return a.confidence > b.confidence;
  if (a.end - a.start != b.end - b.start) return a.end - a.start > b.end - b.start;
  return a.start < b.start;  // deterministic order for equal candidates
}

std::vector<Finding> ResolveOverlaps(std::vector<Finding> findings) {
  std::sort(findings.begin(), findings.end(), IsStronger);
  // Accepted spans keyed by start; spans in the map never overlap each other.
  std::map<std::size_t, std::size_t> taken;
  std::vector<Finding> kept;
  for (auto& finding : findings) {
    auto next = taken.lower_bound(finding.start);
    if (next != taken.end() && next->first < finding.end) continue;
    if (next != taken.begin() && std::prev(next)->second > finding.start) continue;
    taken.emplace(finding.start, finding.end);
    kept.push_back(std::move(finding));
  }
  std::sort(kept.begin(), kept.end(),
            [](const Finding& a, const Finding& b) { return a.start < b.start; });
  return kept;
}

}  // namespace phiguard::scan
