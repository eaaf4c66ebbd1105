// phiguard-host: the native-messaging host the browser starts. Thin on purpose: set up
// logging, load rules, then answer frames until EOF. stdout carries protocol frames only.

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <csignal>
#include <string>

#include "audit/audit_log.h"
#include "config/host_config.h"
#include "engine/rule_manager.h"
#include "protocol/error_codes.h"
#include "protocol/framing.h"
#include "protocol/limits.h"
#include "protocol/messages.h"
#include "protocol/request_handler.h"
#include "update/bundle_updater.h"
#include "update/host_rule_sources.h"
#include "util/allocator_tuning.h"
#include "util/logging.h"
#include "version.h"

namespace {

using namespace phiguard;

// Everything a running host owns besides the request handler, kept alive for main().
struct HostRuntime {
  config::HostConfig config;
  std::unique_ptr<engine::RuleManager> rules;
  std::unique_ptr<update::BundleUpdater> updater;
  audit::AuditLog audit;
};

protocol::RequestHandler MakeHandler(int argc, char** argv, HostRuntime& runtime) {
  // Chrome passes the caller's origin first; Firefox passes the manifest path and the
  // extension id. Only the origin is logged, to tell browsers apart in support cases.
  protocol::HostInfo info{PHIGUARD_VERSION, argc > 1 ? argv[1] : ""};
  spdlog::info("phiguard-host {} starting for {}", info.host_version,
               info.caller_origin.empty() ? "unknown caller" : info.caller_origin);
  auto config = config::LoadHostConfig(config::DefaultConfigPath());
  if (config.ok()) {
    runtime.config = std::move(config).value();
    for (const auto& problem : runtime.config.problems) {
      spdlog::error("configuration {}: {}", config::DefaultConfigPath().string(), problem);
    }
  } else {
    spdlog::error("configuration ignored: {}", config.error().Describe());
  }
  if (auto audit = runtime.audit.Configure(runtime.config.audit); !audit.ok()) {
    spdlog::error("audit not enabled: {}", audit.error().Describe());
  }
  std::string error;
  auto inputs = update::InitialRuleInputs(runtime.config, error);
  if (!error.empty()) {
    spdlog::error("no rules loaded: {}", error);
    return protocol::RequestHandler(std::move(info), nullptr, error);
  }
  runtime.rules = std::make_unique<engine::RuleManager>(std::move(inputs), scan::BuildOptions{});
  auto initial = runtime.rules->BuildInitial();
  if (!initial.ok()) {
    spdlog::error("no rules loaded: {}", initial.error().Describe());
    return protocol::RequestHandler(std::move(info), nullptr, initial.error().Describe());
  }
  runtime.updater =
      std::make_unique<update::BundleUpdater>(update::SettingsFrom(runtime.config), *runtime.rules);
  runtime.updater->Start();
  protocol::HostServices services{runtime.rules.get(), runtime.updater.get(), &runtime.audit,
                                  runtime.config.audit};
  return protocol::RequestHandler(
      std::move(info), std::make_unique<engine::Engine>(std::move(initial).value()), {}, services);
}

int Serve(protocol::RequestHandler& handler) {
  protocol::FrameReader reader(STDIN_FILENO, protocol::kMaxRequestFrameBytes);
  std::string payload;
  std::uint32_t declared = 0;
  while (true) {
    switch (reader.Next(payload, declared)) {
      case protocol::ReadStatus::kEndOfInput:
        spdlog::info("input closed; exiting");
        return 0;
      case protocol::ReadStatus::kTruncated:
        spdlog::warn("input ended inside a frame; exiting");
        return 0;
      case protocol::ReadStatus::kTooLarge:
        spdlog::warn("refused a frame of {} bytes", declared);
        if (!protocol::WriteFrame(STDOUT_FILENO, protocol::Serialize(protocol::ErrorReply(
                                                     protocol::ErrorCode::kTooLarge,
                                                     "frame is larger than the host accepts")))) {
          return 0;
        }
        break;
      case protocol::ReadStatus::kFrame:
        if (!protocol::WriteFrame(STDOUT_FILENO, handler.Handle(payload))) {
          spdlog::info("output closed; exiting");
          return 0;
        }
        break;
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  util::TuneAllocatorForScanning();
  // A browser that goes away closes our stdout; we want EPIPE from write(), not a signal.
  std::signal(SIGPIPE, SIG_IGN);
  util::InitLogging("phiguard-host");
  HostRuntime runtime;
  auto handler = MakeHandler(argc, argv, runtime);
  return Serve(handler);
}
