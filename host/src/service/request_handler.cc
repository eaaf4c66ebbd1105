#include "protocol/request_handler.h"

#include <spdlog/spdlog.h>

#include "protocol/error_codes.h"
#include "protocol/limits.h"
#include "protocol/messages.h"
#include "util/utf8.h"

namespace phiguard::protocol {

using nlohmann::json;

namespace {

// Parses with a depth limit: nlohmann's parser is iterative, but a hostile frame of
// nested arrays still costs memory per level, and no valid request nests deeply.
json ParseBounded(std::string_view payload, bool& too_deep) {
  too_deep = false;
  std::size_t depth = 0;
  const json::parser_callback_t limit = [&](int, json::parse_event_t event, json&) {
    if (event == json::parse_event_t::object_start || event == json::parse_event_t::array_start) {
      if (++depth > kMaxJsonDepth) {
        too_deep = true;
        throw std::length_error("nesting");
      }
    } else if (event == json::parse_event_t::object_end ||
               event == json::parse_event_t::array_end) {
      --depth;
    }
    return true;
  };
  try {
    return json::parse(payload, limit, /*allow_exceptions=*/false);
  } catch (const std::length_error&) {
    return json(json::value_t::discarded);
  }
}

const json* UsableId(const json& request) {
  const auto it = request.find("id");
  if (it == request.end() || !(it->is_number() || it->is_string())) return nullptr;
  return &*it;
}

json WithId(json reply, const json& request) {
  if (const json* id = UsableId(request)) reply["id"] = *id;
  return reply;
}

}  // namespace

RequestHandler::RequestHandler(HostInfo info, std::unique_ptr<engine::Engine> engine,
                               std::string rules_error, HostServices services)
    : info_(std::move(info)),
      engine_(std::move(engine)),
      rules_error_(std::move(rules_error)),
      services_(std::move(services)) {}

void RequestHandler::UseRules(std::shared_ptr<const scan::CompiledRules> rules) {
  if (engine_) {
    engine_->ReplaceRules(std::move(rules));
  } else {
    engine_ = std::make_unique<engine::Engine>(std::move(rules));
    rules_error_.clear();
  }
  spdlog::info("rules now in force: {}", engine_->rules().version());
}

void RequestHandler::ApplyPendingRules() {
  if (!services_.rules) return;
  if (auto pending = services_.rules->TakePending()) UseRules(std::move(pending));
}

std::string RequestHandler::Handle(std::string_view payload) {
  if (!util::IsValidUtf8(payload)) {
    return Serialize(ErrorReply(ErrorCode::kBadJson, "frame is not valid UTF-8"));
  }
  bool too_deep = false;
  const json request = ParseBounded(payload, too_deep);
  if (request.is_discarded()) {
    return Serialize(ErrorReply(ErrorCode::kBadJson,
                                too_deep ? "JSON nests too deeply" : "frame is not valid JSON"));
  }
  if (!request.is_object()) {
    return Serialize(ErrorReply(ErrorCode::kBadRequest, "a request must be a JSON object"));
  }
  try {
    ApplyPendingRules();
    return Dispatch(request);
  } catch (const std::exception& e) {
    // Reaching here is a bug; the message names the exception type only, never input.
    spdlog::error("internal error handling a request: {}", typeid(e).name());
    return Serialize(ErrorReply(ErrorCode::kInternal, "internal error", UsableId(request)));
  }
}

std::string RequestHandler::Dispatch(const json& request) {
  const json* id = UsableId(request);
  if (const auto it = request.find("id"); it != request.end() && !id) {
    return Serialize(ErrorReply(ErrorCode::kBadRequest, "'id' must be a number or a string"));
  }
  const auto type = request.find("type");
  if (type == request.end() || !type->is_string()) {
    return Serialize(ErrorReply(ErrorCode::kBadRequest, "missing 'type'", id));
  }
  const auto& name = type->get_ref<const std::string&>();
  if (name == "scan") return HandleScan(request);
  if (name == "ping") return Serialize(WithId({{"type", "pong"}}, request));
  if (name == "hello") return Serialize(HandleHello(request));
  if (name == "configure") return Serialize(HandleConfigure(request));
  if (name == "audit") return Serialize(HandleAudit(request));
  return Serialize(ErrorReply(ErrorCode::kUnsupported, "unknown request type", id));
}

json RequestHandler::HandleHello(const json& request) {
  json reply = {
      {"type", "hello"}, {"host_version", info_.host_version}, {"protocol", kProtocolVersion}};
  if (engine_) {
    reply["rules"] = RulesSummary(engine_->rules());
  } else {
    reply["rules"] = {{"version", "none"}, {"packs", json::array()}, {"error", rules_error_}};
  }
  return WithId(std::move(reply), request);
}

std::string RequestHandler::HandleScan(const json& request) {
  const json* id = UsableId(request);
  const auto text = request.find("text");
  if (text == request.end() || !text->is_string()) {
    return Serialize(ErrorReply(ErrorCode::kBadRequest, "'text' must be a string", id));
  }
  for (const char* field : {"site", "surface"}) {
    if (const auto it = request.find(field); it != request.end() && !it->is_string()) {
      return Serialize(
          ErrorReply(ErrorCode::kBadRequest, std::string("'") + field + "' must be a string", id));
    }
  }
  bool rule_details_once = false;
  if (const auto it = request.find("rule_details"); it != request.end()) {
    if (!it->is_string() || (*it != "once" && *it != "each")) {
      return Serialize(
          ErrorReply(ErrorCode::kBadRequest, "'rule_details' must be \"once\" or \"each\"", id));
    }
    rule_details_once = *it == "once";
  }
  const auto& content = text->get_ref<const std::string&>();
  if (content.size() > kMaxTextBytes) {
    return Serialize(ErrorReply(ErrorCode::kTooLarge, "text is longer than the host scans", id));
  }
  if (!engine_)
    return Serialize(ErrorReply(ErrorCode::kInternal, "no rules loaded: " + rules_error_, id));
  const auto report = engine_->Scan(content);
  spdlog::debug("scan: {} bytes, {} candidates, {} findings, verdict {}, {} us", content.size(),
                report.candidates, report.findings.size(), policy::ToString(report.verdict),
                report.scan_us);
  return ResultReply(report, {.id = id, .rule_details_once = rule_details_once});
}

}  // namespace phiguard::protocol
