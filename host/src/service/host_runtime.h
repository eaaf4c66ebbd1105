#pragma once
// Everything a running phiguard-host owns: configuration, the rule sources and their
// manager, the bundle updater, the audit log, and the request handler that uses them.
// main_host.cc only sets up logging and moves frames.

#include <memory>

#include "audit/audit_log.h"
#include "config/host_config.h"
#include "engine/rule_manager.h"
#include "service/request_handler.h"
#include "update/bundle_updater.h"

namespace phiguard::service {

class HostRuntime {
 public:
  // Loads configuration and rules (service/rule_sources.h), starts the updater. Never
  // fails: without rules the handler still answers hello and ping, and scans answer why.
  explicit HostRuntime(HostInfo info);
  ~HostRuntime();  // stops the updater before what it updates goes

  HostRuntime(const HostRuntime&) = delete;
  HostRuntime& operator=(const HostRuntime&) = delete;

  RequestHandler& handler() { return *handler_; }

 private:
  config::HostConfig config_;
  audit::AuditLog audit_;
  std::unique_ptr<engine::RuleManager> rules_;
  std::unique_ptr<update::BundleUpdater> updater_;
  std::unique_ptr<RequestHandler> handler_;
};

}  // namespace phiguard::service
