// phiguard-host: the native-messaging host the browser starts. Thin on purpose: set up
// logging, load rules, then answer frames until EOF. stdout carries protocol frames only.

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <csignal>
#include <string>

#include "engine/rule_loading.h"
#include "protocol/error_codes.h"
#include "protocol/framing.h"
#include "protocol/limits.h"
#include "protocol/messages.h"
#include "protocol/request_handler.h"
#include "util/logging.h"
#include "version.h"

namespace {

using namespace phiguard;

protocol::RequestHandler MakeHandler(int argc, char** argv) {
  // Chrome passes the caller's origin first; Firefox passes the manifest path and the
  // extension id. Only the origin is logged, to tell browsers apart in support cases.
  protocol::HostInfo info{PHIGUARD_VERSION, argc > 1 ? argv[1] : ""};
  spdlog::info("phiguard-host {} starting for {}", info.host_version,
               info.caller_origin.empty() ? "unknown caller" : info.caller_origin);
  auto rules = engine::LoadBuiltinRules();
  if (!rules.ok()) {
    spdlog::error("no rules loaded: {}", rules.error().Describe());
    return protocol::RequestHandler(std::move(info), nullptr, rules.error().Describe());
  }
  return protocol::RequestHandler(std::move(info),
                                  std::make_unique<engine::Engine>(std::move(rules).value()));
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
        if (!protocol::WriteFrame(STDOUT_FILENO,
                                  protocol::Serialize(protocol::ErrorReply(
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
  // A browser that goes away closes our stdout; we want EPIPE from write(), not a signal.
  std::signal(SIGPIPE, SIG_IGN);
  util::InitLogging("phiguard-host");
  auto handler = MakeHandler(argc, argv);
  return Serve(handler);
}
