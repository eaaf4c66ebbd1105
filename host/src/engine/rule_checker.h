#pragma once
// The checks behind `phiguard rules test` and the `rules` CTest label: every rule's
// examples and negatives through the full pipeline, each pattern cross-checked in both
// engines (Hyperscan and RE2 must agree on whether it matches), and lints that catch
// rules which would hurt in production.

#include <string>
#include <vector>

#include "rules/rule.h"

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

CheckReport CheckPacks(std::vector<rules::Pack> packs);

}  // namespace phiguard::engine
