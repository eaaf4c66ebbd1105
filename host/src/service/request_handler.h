#pragma once
// Turns one request frame into one reply. Never throws and never fails to answer: every
// malformed frame gets an `error` reply and the host keeps serving. Each request type has
// one handler in a table; the wire format (parsing, reply shapes) is protocol/'s.

#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "audit/audit_log.h"
#include "config/host_config.h"
#include "engine/engine.h"
#include "service/audit_vocabulary.h"
#include "service/scan_service.h"

namespace phiguard::update {
class BundleUpdater;
}

namespace phiguard::service {

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
  // This machine's allow-list (system configuration `allow_list`), in force from the start
  // and kept beside the one `configure` brings.
  std::vector<std::string> allow_list;
};

class RequestHandler {
 public:
  // `engine` may be null when no rules could be loaded: hello and ping still answer, and
  // scans answer `internal` with `rules_error`, so the extension can show why.
  RequestHandler(HostInfo info, std::unique_ptr<engine::Engine> engine,
                 std::string rules_error = {}, HostServices services = {});

  // Returns the serialised reply to one frame payload.
  std::string Handle(std::string_view payload);
  // The host has had no request for a while (main_host.cc): memory later requests can
  // rebuild goes (engine::Engine::ReleaseIdleMemory).
  void OnIdle() { scans_.ReleaseIdleMemory(); }

 private:
  // One request type: the request (an object) in, the serialised reply out.
  using Handler = std::string (RequestHandler::*)(const nlohmann::json& request);
  static const std::map<std::string, Handler, std::less<>>& Handlers();

  std::string Dispatch(const nlohmann::json& request);
  std::string HandlePing(const nlohmann::json& request);
  std::string HandleHello(const nlohmann::json& request);
  std::string HandleScan(const nlohmann::json& request);
  std::string HandleConfigure(const nlohmann::json& request);  // configure_handlers.cc
  std::string HandleAudit(const nlohmann::json& request);      // configure_handlers.cc
  // The `rules` object of `hello` and `configured`, or why there are none.
  nlohmann::json RulesState() const;

  // Swaps in rules accepted since the last request, and notes a new set as valid in audits
  // (the set the handler starts with is noted at construction).
  void ApplyPendingRules();

  HostInfo info_;
  ScanService scans_;
  HostServices services_;
  AuditVocabulary audit_vocabulary_;
};

}  // namespace phiguard::service
