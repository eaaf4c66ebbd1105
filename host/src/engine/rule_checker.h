#pragma once
// The checks behind `phiguard rules test` and the `rules` CTest label: every rule's
// examples and negatives through the full pipeline, each pattern cross-checked in both
// engines (Hyperscan and RE2 must agree on whether it matches), and lints that catch
// rules which would hurt in production.

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "rules/rule.h"
#include "scan/compiled_rules.h"

namespace phiguard::engine {

struct CheckProblem {
  enum class Level { kError, kWarning };
  Level level;
  std::string where;  // "file: rule-id"
  std::string message;
};

struct CheckReport {
  std::size_t rules = 0;
  std::size_t examples_run = 0;
  std::vector<CheckProblem> problems;
  std::size_t errors() const;
  std::size_t warnings() const;
};

// Every check: build, lints, both engines, examples and negatives.
CheckReport CheckPacks(std::vector<rules::Pack> packs);

// Only the examples and negatives, of the packs whose ids are in `pack_ids`, through the
// full pipeline of `set`. Used before a host accepts rules from outside its install: a
// pack that fails its own examples is rejected whole.
CheckReport CheckExamples(const std::shared_ptr<const scan::CompiledRules>& set,
                          const std::set<std::string, std::less<>>& pack_ids);

}  // namespace phiguard::engine
