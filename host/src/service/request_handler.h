#pragma once
// Turns one request frame into one reply. Never throws and never fails to answer: every
// malformed frame gets an `error` reply and the host keeps serving.

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "audit/audit_log.h"
#include "engine/engine.h"
#include "engine/rule_manager.h"

namespace phiguard::update {
class BundleUpdater;
}

namespace phiguard::protocol {

struct HostInfo {
  std::string host_version;
  std::string caller_origin;  // argv[1] from the browser, e.g. chrome-extension://id/
};

// What a full host has beyond scanning; each may be null (tests, the CLI).
struct HostServices {
  engine::RuleManager* rules = nullptr;      // sources, hot reload, organisation rules
  update::BundleUpdater* updater = nullptr;  // takes policy keys from `configure`
  audit::AuditLog* audit = nullptr;          // `audit` records
  config::AuditConfig audit_defaults;        // file and rotation from system configuration
};

class RequestHandler {
 public:
  // `engine` may be null when no rules could be loaded: hello and ping still answer, and
  // scans answer `internal` with `rules_error`, so the extension can show why.
  RequestHandler(HostInfo info, std::unique_ptr<engine::Engine> engine,
                 std::string rules_error = {}, HostServices services = {});

  // Returns the serialised reply to one frame payload.
  std::string Handle(std::string_view payload);

 private:
  // The serialised reply (a scan's result is written without a JSON tree).
  std::string Dispatch(const nlohmann::json& request);
  nlohmann::json HandleHello(const nlohmann::json& request);
  std::string HandleScan(const nlohmann::json& request);
  nlohmann::json HandleConfigure(const nlohmann::json& request);
  nlohmann::json HandleAudit(const nlohmann::json& request);
  // Swaps in rules the updater accepted since the last request: between requests only,
  // so no scan sees half an update and none is lost.
  void ApplyPendingRules();
  void UseRules(std::shared_ptr<const scan::CompiledRules> rules);

  HostInfo info_;
  std::unique_ptr<engine::Engine> engine_;
  std::string rules_error_;
  HostServices services_;
};

}  // namespace phiguard::protocol
