#pragma once
// Turns one request frame into one reply. Never throws and never fails to answer: every
// malformed frame gets an `error` reply and the host keeps serving.

#include <memory>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "engine/engine.h"

namespace phiguard::protocol {

struct HostInfo {
  std::string host_version;
  std::string caller_origin;  // argv[1] from the browser, e.g. chrome-extension://id/
};

class RequestHandler {
 public:
  // `engine` may be null when no rules could be loaded: hello and ping still answer, and
  // scans answer `internal` with `rules_error`, so the extension can show why.
  RequestHandler(HostInfo info, std::unique_ptr<engine::Engine> engine,
                 std::string rules_error = {});

  // Returns the serialised reply to one frame payload.
  std::string Handle(std::string_view payload);

  engine::Engine* engine() { return engine_.get(); }

 private:
  nlohmann::json Dispatch(const nlohmann::json& request);
  nlohmann::json HandleHello(const nlohmann::json& request);
  nlohmann::json HandleScan(const nlohmann::json& request);

  HostInfo info_;
  std::unique_ptr<engine::Engine> engine_;
  std::string rules_error_;
};

}  // namespace phiguard::protocol
