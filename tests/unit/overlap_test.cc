#include "scan/overlap.h"

#include <gtest/gtest.h>

#include <random>

namespace phiguard::scan {
namespace {

// The definition, one finding at a time: strongest first, each kept unless it overlaps one
// kept before it, then in text order. Before that, a name goes when a name of its action
// starts no later and ends later (one that only shares its end stays). Quadratic, and
// obviously so.
std::vector<std::size_t> KeptByDefinition(const std::vector<Finding>& findings) {
  std::vector<std::size_t> candidates;
  for (std::size_t i = 0; i < findings.size(); ++i) {
    const auto& f = findings[i];
    const bool inside_longer_name =
        f.rule->category == "name" &&
        std::any_of(findings.begin(), findings.end(), [&](const Finding& g) {
          return g.rule->category == "name" && g.action == f.action && g.start <= f.start &&
                 g.end > f.end;
        });
    if (!inside_longer_name) candidates.push_back(i);
  }
  std::sort(candidates.begin(), candidates.end(),
            [&](std::size_t a, std::size_t b) { return IsStronger(findings[a], findings[b]); });
  std::vector<std::size_t> kept;
  for (const auto i : candidates) {
    const bool overlaps = std::any_of(kept.begin(), kept.end(), [&](std::size_t k) {
      return findings[i].start < findings[k].end && findings[k].start < findings[i].end;
    });
    if (!overlaps) kept.push_back(i);
  }
  std::sort(kept.begin(), kept.end(),
            [&](std::size_t a, std::size_t b) { return findings[a].start < findings[b].start; });
  return kept;
}

TEST(Overlap, AgreesWithTheDefinitionOnRandomFindings) {
  std::vector<rules::Rule> rules(6);
  const char* categories[] = {"name", "name", "ssn", "phone", "name", "date"};
  for (std::size_t r = 0; r < rules.size(); ++r) {
    rules[r].category = categories[r];
    rules[r].severity = static_cast<rules::Severity>(r % 3);
  }
  std::mt19937 random(20261205);
  for (int round = 0; round < 2000; ++round) {
    std::vector<Finding> findings(1 + random() % 30);
    for (auto& f : findings) {
      f.rule_index = static_cast<std::uint32_t>(random() % rules.size());
      f.rule = &rules[f.rule_index];
      f.start = random() % 200;
      f.end = f.start + 1 + random() % 20;
      f.action = static_cast<rules::Action>(random() % 3);
      f.confidence = 0.3 + 0.1 * static_cast<double>(random() % 4);
    }
    std::sort(findings.begin(), findings.end(), [](const Finding& a, const Finding& b) {
      return std::tie(a.start, a.rule_index, a.end) < std::tie(b.start, b.rule_index, b.end);
    });
    std::vector<std::pair<std::size_t, std::size_t>> expected;
    for (const auto i : KeptByDefinition(findings)) {
      expected.emplace_back(findings[i].start, findings[i].end);
    }
    std::vector<std::pair<std::size_t, std::size_t>> resolved;
    for (const auto& f : ResolveOverlaps(findings)) resolved.emplace_back(f.start, f.end);
    ASSERT_EQ(resolved, expected) << "round " << round;
  }
}

}  // namespace
}  // namespace phiguard::scan
