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
#include "scan/scanner.h"

namespace phiguard::engine {

struct ScanReport {
  std::vector<scan::Finding> findings;
  policy::Verdict verdict = policy::Verdict::kAllow;
  std::string rules_version;
  std::uint64_t scan_us = 0;
  std::size_t candidates = 0;
};

// Single-threaded by design (one Hyperscan scratch). Rule sets are swapped whole between
// scans, so a scan never sees half of an update.
class Engine {
 public:
  explicit Engine(std::shared_ptr<const scan::CompiledRules> rules);

  ScanReport Scan(std::string_view text);

  // Makes `rules` active for every later scan.
  void ReplaceRules(std::shared_ptr<const scan::CompiledRules> rules);
  void SetPolicy(policy::PolicyOverrides overrides) { overrides_ = std::move(overrides); }

  const scan::CompiledRules& rules() const { return scanner_->rules(); }
  const std::shared_ptr<const scan::CompiledRules>& shared_rules() const {
    return scanner_->shared_rules();
  }
  const policy::PolicyOverrides& policy() const { return overrides_; }

 private:
  std::unique_ptr<scan::Scanner> scanner_;
  policy::PolicyOverrides overrides_;
};

}  // namespace phiguard::engine
