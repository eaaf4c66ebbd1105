#include "scan/overlap.h"

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <map>
#include <numeric>

namespace phiguard::scan {

bool IsStronger(const Finding& a, const Finding& b) {
  if (a.action != b.action) return a.action > b.action;
  if (a.rule->severity != b.rule->severity) return a.rule->severity > b.rule->severity;
  if (a.confidence != b.confidence) return a.confidence > b.confidence;
  if (a.end - a.start != b.end - b.start) return a.end - a.start > b.end - b.start;
  // Equal candidates: the earlier, then the rule listed first. Without the last step, which
  // of two rules with the same span (an MBI that is also a plan ID) won depended on how the
  // sort met them, and so on the rest of the text.
  if (a.start != b.start) return a.start < b.start;
  return a.rule_index < b.rule_index;
}

namespace {

// Of two names at one action, the longer is the name: "Linda Baker" by the rule for a name
// after a patient cue, over "Linda" by the given-name rule, so the name is one finding and
// one fix replaces all of it. Done before the strongest-first pass, not inside IsStronger:
// a length rule for one category there made the order intransitive (a name, a longer name
// and an address could each beat the next), and the outcome then depended on the sort.
void DropNamesInsideLongerNames(std::vector<Finding>& findings) {
  std::vector<std::uint32_t> names;
  for (std::uint32_t i = 0; i < findings.size(); ++i) {
    if (findings[i].rule->category == "name") names.push_back(i);
  }
  if (names.size() < 2) return;
  std::sort(names.begin(), names.end(), [&](std::uint32_t a, std::uint32_t b) {
    const auto& x = findings[a];
    const auto& y = findings[b];
    return x.start != y.start ? x.start < y.start : x.end > y.end;
  });
  // Per action, the furthest end among the names seen so far (they start no later).
  std::map<rules::Action, std::size_t> furthest;
  std::vector<bool> inside(findings.size(), false);
  for (const auto i : names) {
    const auto& f = findings[i];
    auto [it, fresh] = furthest.try_emplace(f.action, f.end);
    if (!fresh) {
      // Started no earlier than a longer name of its action and ends within it.
      if (f.end <= it->second && f.end - f.start < it->second - f.start) inside[i] = true;
      it->second = std::max(it->second, f.end);
    }
  }
  std::size_t kept = 0;
  for (std::size_t i = 0; i < findings.size(); ++i) {
    if (!inside[i]) {
      if (kept != i) findings[kept] = std::move(findings[i]);
      ++kept;
    }
  }
  findings.resize(kept);
}

}  // namespace

std::vector<Finding> ResolveOverlaps(std::vector<Finding> findings) {
  DropNamesInsideLongerNames(findings);
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
