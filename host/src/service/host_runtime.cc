#include "service/host_runtime.h"

#include <spdlog/spdlog.h>

#include "cache/system_first_store.h"
#include "service/rule_sources.h"

namespace phiguard::service {

HostRuntime::HostRuntime(HostInfo info) {
  spdlog::info("phiguard-host {} starting for {}", info.host_version,
               info.caller_origin.empty() ? "unknown caller" : info.caller_origin);
  config_ = LoadMachineConfig();
  if (auto audit = audit_.Configure(config_.audit); !audit.ok()) {
    spdlog::error("audit not enabled: {}", audit.error().Describe());
  }
  auto inputs = MachineRuleInputs(config_);
  if (!inputs.ok()) {
    spdlog::error("no rules loaded: {}", inputs.error().Describe());
    handler_ =
        std::make_unique<RequestHandler>(std::move(info), nullptr, inputs.error().Describe());
    return;
  }
  // The set root compiled for the machine when there is one, else this user's own cache.
  rules_ = std::make_unique<engine::RuleManager>(
      std::move(inputs).value(),
      scan::BuildOptions{.cache = cache::SystemFirstStore::ForThisMachine()});
  auto initial = rules_->BuildInitial();
  if (!initial.ok()) {
    spdlog::error("no rules loaded: {}", initial.error().Describe());
    handler_ =
        std::make_unique<RequestHandler>(std::move(info), nullptr, initial.error().Describe());
    return;
  }
  updater_ = std::make_unique<update::BundleUpdater>(update::SettingsFrom(config_), *rules_);
  updater_->Start();
  handler_ = std::make_unique<RequestHandler>(
      std::move(info), std::make_unique<engine::Engine>(std::move(initial).value()), std::string{},
      HostServices{rules_.get(), updater_.get(), &audit_, config_.audit, config_.allow_list});
}

HostRuntime::~HostRuntime() {
  // The handler points at the updater, and the updater's thread at the rule manager:
  // take them down in that order.
  handler_.reset();
  updater_.reset();
}

}  // namespace phiguard::service
