#include "service/request_handler.h"

#include <spdlog/spdlog.h>

#include <optional>

#include "protocol/error_codes.h"
#include "protocol/limits.h"
#include "protocol/messages.h"
#include "protocol/request_parsing.h"
#include "scan/allow_list.h"

namespace phiguard::service {

using nlohmann::json;
using protocol::ErrorCode;
using protocol::ErrorReply;
using protocol::Serialize;
using protocol::UsableId;

namespace {

// The request's string `field`: "" when absent, nullopt when it is not a string.
std::optional<std::string_view> OptionalText(const json& request, const char* field) {
  const auto it = request.find(field);
  if (it == request.end()) return std::string_view{};
  if (!it->is_string()) return std::nullopt;
  return std::string_view(it->get_ref<const std::string&>());
}

json WithId(json reply, const json& request) {
  if (const json* id = UsableId(request)) reply["id"] = *id;
  return reply;
}

}  // namespace

RequestHandler::RequestHandler(HostInfo info, std::unique_ptr<engine::Engine> engine,
                               std::string rules_error, HostServices services)
    : info_(std::move(info)),
      scans_(std::move(engine), std::move(rules_error), services.rules),
      services_(std::move(services)) {
  if (scans_.ready()) audit_vocabulary_.NoteRules(scans_.rules());
  if (!services_.allow_list.empty()) {
    scans_.SetAllowList(std::make_shared<const scan::AllowList>(services_.allow_list));
    spdlog::info("allow-list: {} entries from the system configuration",
                 services_.allow_list.size());
  }
}

void RequestHandler::ApplyPendingRules() {
  if (scans_.ApplyPendingRules()) audit_vocabulary_.NoteRules(scans_.rules());
}

const std::map<std::string, RequestHandler::Handler, std::less<>>& RequestHandler::Handlers() {
  static const std::map<std::string, Handler, std::less<>> handlers = {
      {"scan", &RequestHandler::HandleScan},   {"ping", &RequestHandler::HandlePing},
      {"hello", &RequestHandler::HandleHello}, {"configure", &RequestHandler::HandleConfigure},
      {"audit", &RequestHandler::HandleAudit},
  };
  return handlers;
}

std::string RequestHandler::Handle(std::string_view payload) {
  const auto parsed = protocol::ParseRequest(payload);
  if (!parsed.error_reply.empty()) return parsed.error_reply;
  try {
    ApplyPendingRules();
    return Dispatch(parsed.request);
  } catch (const std::exception& e) {
    // Reaching here is a bug; the message names the exception type only, never input.
    spdlog::error("internal error handling a request: {}", typeid(e).name());
    return Serialize(ErrorReply(ErrorCode::kInternal, "internal error", UsableId(parsed.request)));
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
  const auto handler = Handlers().find(type->get_ref<const std::string&>());
  if (handler == Handlers().end()) {
    return Serialize(ErrorReply(ErrorCode::kUnsupported, "unknown request type", id));
  }
  return (this->*handler->second)(request);
}

json RequestHandler::RulesState() const {
  if (scans_.ready()) return protocol::RulesSummary(scans_.rules());
  return {{"version", "none"}, {"packs", json::array()}, {"error", scans_.rules_error()}};
}

std::string RequestHandler::HandlePing(const json& request) {
  return Serialize(WithId({{"type", "pong"}}, request));
}

std::string RequestHandler::HandleHello(const json& request) {
  json reply = {{"type", "hello"},
                {"host_version", info_.host_version},
                {"protocol", protocol::kProtocolVersion},
                {"rules", RulesState()},
                // Whether `audit` requests are recorded now (system configuration, or an
                // earlier `configure`): the popup says so before the user reports anything.
                {"audit", services_.audit != nullptr && services_.audit->enabled()}};
  return Serialize(WithId(std::move(reply), request));
}

std::string RequestHandler::HandleScan(const json& request) {
  const json* id = UsableId(request);
  const auto text = request.find("text");
  if (text == request.end() || !text->is_string()) {
    return Serialize(ErrorReply(ErrorCode::kBadRequest, "'text' must be a string", id));
  }
  const auto site = OptionalText(request, "site");
  if (!site) return Serialize(ErrorReply(ErrorCode::kBadRequest, "'site' must be a string", id));
  const auto surface = OptionalText(request, "surface");
  if (!surface) {
    return Serialize(ErrorReply(ErrorCode::kBadRequest, "'surface' must be a string", id));
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
  if (content.size() > protocol::kMaxTextBytes) {
    return Serialize(ErrorReply(ErrorCode::kTooLarge, "text is longer than the host scans", id));
  }
  if (!scans_.ready()) {
    return Serialize(
        ErrorReply(ErrorCode::kInternal, "no rules loaded: " + scans_.rules_error(), id));
  }
  const auto report = scans_.Scan({.text = content, .site = *site, .surface = *surface});
  spdlog::debug("scan: {} bytes, {} candidates, {} findings, verdict {}, {} us", content.size(),
                report.candidates, report.findings.size(), policy::ToString(report.verdict),
                report.scan_us);
  return protocol::ResultReply(report, {.id = id, .rule_details_once = rule_details_once});
}

}  // namespace phiguard::service
