#pragma once
// The one scan entry point of both programs: phiguard-host answers `scan` requests with it,
// `phiguard scan` runs every input through it, so the two give the same findings for the
// same text, rules, site and surface (tests/e2e/host_cli_parity.py holds them to it).

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "engine/engine.h"
#include "engine/rule_manager.h"

namespace phiguard::service {

struct ScanRequest {
  std::string_view text;
  std::string_view site;     // host name, as the extension sends it ("x.com"); may be empty
  std::string_view surface;  // "compose", "review_reply"; empty: not said, every pack applies
};

class ScanService {
 public:
  // `engine` may be null when no rules could be loaded; `rules_error` then says why.
  // `manager`, when set, supplies rules accepted later (bundles, organisation rules).
  // `piece_bytes` > 0 scans longer texts in overlapping pieces of about that size
  // (scan/piecewise_scan.h) with the findings a whole scan gives; the host leaves it 0 and
  // refuses texts over its limit instead.
  ScanService(std::unique_ptr<engine::Engine> engine, std::string rules_error = {},
              engine::RuleManager* manager = nullptr, std::size_t piece_bytes = 0);

  bool ready() const { return engine_ != nullptr; }
  const std::string& rules_error() const { return rules_error_; }
  // The rule set in force; only while ready().
  const scan::CompiledRules& rules() const { return engine_->rules(); }
  engine::RuleManager* manager() const { return manager_; }

  // Scans with the rules in force. Only while ready().
  engine::ScanReport Scan(const ScanRequest& request);
  // No request for a while: see engine::Engine::ReleaseIdleMemory.
  void ReleaseIdleMemory() {
    if (engine_) engine_->ReleaseIdleMemory();
  }

  // Makes the newest set the manager accepted active; true when it did. Call between
  // requests only, so no scan sees half an update and none is lost.
  bool ApplyPendingRules();

  void SetPolicy(policy::PolicyOverrides overrides);
  // The organisation's allow-list (scan/allow_list.h) for every later scan; null: none.
  void SetAllowList(std::shared_ptr<const scan::AllowList> allow_list);

 private:
  std::unique_ptr<engine::Engine> engine_;
  std::string rules_error_;
  engine::RuleManager* manager_;
  std::size_t piece_bytes_;
  // Kept for an engine that starts later (rules that arrive after a failed start).
  policy::PolicyOverrides policy_;
  std::shared_ptr<const scan::AllowList> allow_list_;
};

}  // namespace phiguard::service
