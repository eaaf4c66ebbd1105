#include "service/scan_service.h"

#include <spdlog/spdlog.h>

namespace phiguard::service {

ScanService::ScanService(std::unique_ptr<engine::Engine> engine, std::string rules_error,
                         engine::RuleManager* manager, std::size_t piece_bytes)
    : engine_(std::move(engine)),
      rules_error_(std::move(rules_error)),
      manager_(manager),
      piece_bytes_(piece_bytes) {}

engine::ScanReport ScanService::Scan(const ScanRequest& request) {
  const engine::ScanScope scope{request.site, request.surface};
  if (piece_bytes_ > 0) return engine_->ScanInPieces(request.text, piece_bytes_, scope);
  return engine_->Scan(request.text, scope);
}

bool ScanService::ApplyPendingRules() {
  if (!manager_) return false;
  auto pending = manager_->TakePending();
  if (!pending) return false;
  if (engine_) {
    engine_->ReplaceRules(std::move(pending));
  } else {
    engine_ = std::make_unique<engine::Engine>(std::move(pending));
    engine_->SetPolicy(policy_);
    engine_->SetAllowList(allow_list_);
    rules_error_.clear();
  }
  spdlog::info("rules now in force: {}", engine_->rules().version());
  return true;
}

void ScanService::SetPolicy(policy::PolicyOverrides overrides) {
  policy_ = std::move(overrides);
  if (engine_) engine_->SetPolicy(policy_);
}

void ScanService::SetAllowList(std::shared_ptr<const scan::AllowList> allow_list) {
  allow_list_ = std::move(allow_list);
  if (engine_) engine_->SetAllowList(allow_list_);
}

}  // namespace phiguard::service
