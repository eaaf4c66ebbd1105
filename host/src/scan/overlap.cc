#include "scan/overlap.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <iterator>
#include <tuple>

namespace phiguard::scan {

namespace {

// Of two names at one action, the longer is the name: "Linda Baker" by the rule for a name
// after a patient cue, over "Linda" by the given-name rule, so the name is one finding and
// one fix replaces all of it. Done before the strongest-first pass, not inside IsStronger:
// a length rule for one category there made the order intransitive (a name, a longer name
// and an address could each beat the next), and the outcome then depended on the sort.
// Returns `subset` without those names.
std::vector<std::uint32_t> WithoutNamesInsideLongerNames(const std::vector<Finding>& findings,
                                                         const std::vector<std::uint32_t>& subset) {
  std::vector<std::uint32_t> names;
  for (const auto i : subset) {
    if (rules::HasCategory(*findings[i].rule, "name")) names.push_back(i);
  }
  if (names.size() < 2) return subset;
  const auto by_start_then_longest = [&](std::uint32_t a, std::uint32_t b) {
    const auto& x = findings[a];
    const auto& y = findings[b];
    return x.start != y.start ? x.start < y.start : x.end > y.end;
  };
  // A scan's findings come by start already: only names sharing a start need ordering, the
  // longest first, and those are a handful.
  // NOTE: the general sort was 3-4 % of a paste dense with names. The order of two names
  // with the same span does not matter below: each sees the other's end as its own.
  const bool by_start = std::is_sorted(
      names.begin(), names.end(),
      [&](std::uint32_t a, std::uint32_t b) { return findings[a].start < findings[b].start; });
  if (!by_start) {
    std::sort(names.begin(), names.end(), by_start_then_longest);
  } else {
    for (auto run = names.begin(); run != names.end();) {
      const auto start = findings[*run].start;
      const auto end = std::find_if(run, names.end(),
                                    [&](std::uint32_t i) { return findings[i].start != start; });
      if (end - run > 1) std::sort(run, end, by_start_then_longest);
      run = end;
    }
  }
  // Per action, the furthest end among the names seen so far (they start no later); 0: none.
  // NOTE: a std::map here allocated a node per action and scan; three slots do.
  constexpr std::size_t kActions = static_cast<std::size_t>(rules::Action::kBlock) + 1;
  std::array<std::size_t, kActions> furthest{};
  std::array<bool, kActions> seen{};
  std::vector<bool> inside(findings.size(), false);  // by position: no search per finding
  bool any_inside = false;
  for (const auto i : names) {
    const auto& f = findings[i];
    const auto action = static_cast<std::size_t>(f.action);
    if (seen[action]) {
      // Started no earlier than a longer name of its action and ends within it.
      if (f.end <= furthest[action] && f.end - f.start < furthest[action] - f.start) {
        inside[i] = true;
        any_inside = true;
      }
      furthest[action] = std::max(furthest[action], f.end);
    } else {
      seen[action] = true;
      furthest[action] = f.end;
    }
  }
  if (!any_inside) return subset;
  std::vector<std::uint32_t> rest;
  rest.reserve(subset.size());
  for (const auto i : subset) {
    if (!inside[i]) rest.push_back(i);
  }
  return rest;
}

// The bytes taken by findings kept so far, one bit each: whether a span overlaps any kept
// one is a look at its own bits.
// NOTE: a std::map of kept spans allocated a node per finding; with thousands of findings
// in a dense paste that was a third of resolving overlaps.
class TakenBytes {
 public:
  explicit TakenBytes(std::size_t size) : words_(size / 64 + 1, 0) {}
  bool AnyIn(std::size_t start, std::size_t end) const {
    for (std::size_t i = start; i < end;) {
      const std::uint64_t word = words_[i / 64] >> (i % 64);
      const std::size_t in_word = std::min<std::size_t>(end - i, 64 - i % 64);
      const std::uint64_t mask = in_word == 64 ? ~0ull : (1ull << in_word) - 1;
      if ((word & mask) != 0) return true;
      i += in_word;
    }
    return false;
  }
  void Take(std::size_t start, std::size_t end) {
    for (std::size_t i = start; i < end; ++i) words_[i / 64] |= 1ull << (i % 64);
  }

 private:
  std::vector<std::uint64_t> words_;
};

// What IsStronger compares, read once per finding rather than at every comparison of a
// sort: larger is stronger. Stricter action, then severity, then confidence, then the
// longer span; equal candidates: the earlier, then the rule listed first. Without the last
// step, which of two rules with the same span (an MBI that is also a plan ID) won depended
// on how the sort met them, and so on the rest of the text.
using Strength =
    std::tuple<rules::Action, rules::Severity, double, std::size_t, std::size_t, std::uint32_t>;
Strength StrengthOf(const Finding& f) {
  // The earlier start and the rule listed first are the stronger: stored negated.
  return {f.action, f.rule->severity, f.confidence, f.end - f.start, ~f.start, ~f.rule_index};
}

}  // namespace

bool IsStronger(const Finding& a, const Finding& b) { return StrengthOf(a) > StrengthOf(b); }

void MarkKept(const std::vector<Finding>& findings, const std::vector<std::uint32_t>& subset,
              std::vector<bool>& kept) {
  const auto candidates = WithoutNamesInsideLongerNames(findings, subset);
  // Positions sorted, not findings: a finding is over a hundred bytes, and a pasted
  // document sorts thousands of them.
  std::vector<std::pair<Strength, std::uint32_t>> order;
  order.reserve(candidates.size());
  std::size_t size = 0;
  for (const auto i : candidates) {
    order.emplace_back(StrengthOf(findings[i]), i);
    size = std::max(size, findings[i].end);
  }
  std::sort(order.begin(), order.end(),
            [](const auto& a, const auto& b) { return a.first > b.first; });
  TakenBytes taken(size);
  for (const auto& [strength, i] : order) {
    const auto& finding = findings[i];
    if (taken.AnyIn(finding.start, finding.end)) continue;
    taken.Take(finding.start, finding.end);
    kept[i] = true;
  }
}

std::vector<Finding> ResolveOverlaps(std::vector<Finding> findings) {
  std::vector<std::uint32_t> all(findings.size());
  for (std::uint32_t i = 0; i < all.size(); ++i) all[i] = i;
  std::vector<bool> kept(findings.size(), false);
  MarkKept(findings, all, kept);
  std::vector<Finding> result;
  result.reserve(static_cast<std::size_t>(std::count(kept.begin(), kept.end(), true)));
  for (std::size_t i = 0; i < findings.size(); ++i) {
    if (kept[i]) result.push_back(std::move(findings[i]));
  }
  // Kept spans never overlap, so their starts differ; findings in text order stay in it.
  if (!std::is_sorted(result.begin(), result.end(),
                      [](const Finding& a, const Finding& b) { return a.start < b.start; })) {
    std::sort(result.begin(), result.end(),
              [](const Finding& a, const Finding& b) { return a.start < b.start; });
  }
  return result;
}

}  // namespace phiguard::scan
