// The `configure` and `audit` requests: organisation policy from the browser's managed
// storage, forwarded by the extension, and content-free records of what users did.
// Policy may add rules and tighten actions; it can never loosen a built-in rule.

#include <spdlog/spdlog.h>

#include <algorithm>

#include "protocol/error_codes.h"
#include "protocol/limits.h"
#include "protocol/messages.h"
#include "protocol/request_parsing.h"
#include "rules/pack_loader.h"
#include "scan/allow_list.h"
#include "service/request_handler.h"
#include "update/bundle_updater.h"

namespace phiguard::service {

using nlohmann::json;
using protocol::ErrorCode;
using protocol::ErrorReply;
using protocol::Serialize;
using protocol::UsableId;

namespace {

// "enforcement": {"phone": "block", "name": "audit"} -> minimum actions and audited
// categories. "audit" is the one setting that loosens: nothing of that category is shown or
// held, by the administrator's choice in managed policy (docs/design.md "Policy").
util::Result<policy::PolicyOverrides> ParseEnforcement(const json& policy) {
  policy::PolicyOverrides overrides;
  const auto it = policy.find("enforcement");
  if (it == policy.end()) return overrides;
  if (!it->is_object()) return util::Error{"policy.enforcement", "must be an object"};
  for (const auto& [category, level] : it->items()) {
    if (!rules::IsKnownCategory(category)) {
      return util::Error{"policy.enforcement", "unknown category '" + category + "'"};
    }
    if (!level.is_string()) return util::Error{"policy.enforcement." + category, "not a string"};
    const auto& name = level.get_ref<const std::string&>();
    if (name == "audit") {
      overrides.audited.insert(category);
      continue;
    }
    const auto action = rules::ParseAction(name);
    if (!action || *action == rules::Action::kInfo) {
      return util::Error{"policy.enforcement." + category, "must be audit, warn or block"};
    }
    overrides.minimum_action[category] = *action;
  }
  return overrides;
}

util::Result<std::vector<std::string>> ParseKeys(const json& policy) {
  std::vector<std::string> keys;
  const auto it = policy.find("bundleKeys");
  if (it == policy.end()) return keys;
  if (!it->is_array()) return util::Error{"policy.bundleKeys", "must be a list of strings"};
  for (const auto& key : *it) {
    if (!key.is_string()) return util::Error{"policy.bundleKeys", "must be a list of strings"};
    keys.push_back(key.get<std::string>());
  }
  return keys;
}

// "allowList": the organisation's own names, numbers and addresses (scan/allow_list.h).
// Errors say which entry and why, never what it holds: the entries are the organisation's.
util::Result<std::vector<std::string>> ParseAllowList(const json& policy) {
  std::vector<std::string> entries;
  const auto it = policy.find("allowList");
  if (it == policy.end()) return entries;
  if (!it->is_array()) return util::Error{"policy.allowList", "must be a list of strings"};
  if (it->size() > protocol::kMaxAllowListEntries) {
    return util::Error{"policy.allowList",
                       "more than " + std::to_string(protocol::kMaxAllowListEntries) + " entries"};
  }
  for (std::size_t i = 0; i < it->size(); ++i) {
    const auto& entry = (*it)[i];
    const std::string field = "policy.allowList[" + std::to_string(i) + "]";
    if (!entry.is_string()) return util::Error{field, "not a string"};
    const auto& text = entry.get_ref<const std::string&>();
    if (text.size() > protocol::kMaxAllowListEntryBytes) {
      return util::Error{
          field, "longer than " + std::to_string(protocol::kMaxAllowListEntryBytes) + " bytes"};
    }
    entries.push_back(text);
  }
  return entries;
}

// "sites": the extraSites of managed policy, which audit records may then name: host names,
// or "*.example.org" for a domain and its subdomains.
util::Result<std::vector<std::string>> ParseSites(const json& policy) {
  std::vector<std::string> sites;
  const auto it = policy.find("sites");
  if (it == policy.end()) return sites;
  const util::Error wrong{"policy.sites", "must be a list of host names"};
  if (!it->is_array() || it->size() > 1000) return wrong;
  for (const auto& site : *it) {
    if (!site.is_string()) return wrong;
    std::string_view host = site.get_ref<const std::string&>();
    if (host.starts_with("*.")) host.remove_prefix(2);
    if (host.empty() || host.size() > 253 || !std::all_of(host.begin(), host.end(), [](char c) {
          return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-';
        })) {
      return wrong;
    }
    sites.push_back(site.get<std::string>());
  }
  return sites;
}

json EffectivePolicy(const policy::PolicyOverrides& overrides) {
  json enforcement = json::object();
  for (const auto& [category, action] : overrides.minimum_action) {
    enforcement[category] = rules::ToString(action);
  }
  for (const auto& category : overrides.audited) enforcement[category] = "audit";
  return {{"enforcement", enforcement}};
}

}  // namespace

std::string RequestHandler::HandleConfigure(const json& request) {
  const json* id = UsableId(request);
  const json empty = json::object();
  const auto policy_it = request.find("policy");
  const json& policy = policy_it == request.end() ? empty : *policy_it;
  if (!policy.is_object())
    return Serialize(ErrorReply(ErrorCode::kBadRequest, "'policy' must be an object", id));

  auto overrides = ParseEnforcement(policy);
  if (!overrides.ok())
    return Serialize(ErrorReply(ErrorCode::kBadRequest, overrides.error().Describe(), id));
  auto keys = ParseKeys(policy);
  if (!keys.ok()) return Serialize(ErrorReply(ErrorCode::kBadRequest, keys.error().Describe(), id));
  auto allow_list = ParseAllowList(policy);
  if (!allow_list.ok())
    return Serialize(ErrorReply(ErrorCode::kBadRequest, allow_list.error().Describe(), id));

  if (const auto rules_it = request.find("rules"); rules_it != request.end()) {
    if (!rules_it->is_array())
      return Serialize(ErrorReply(ErrorCode::kBadRequest, "'rules' must be a list", id));
    if (!services_.rules) {
      return Serialize(
          ErrorReply(ErrorCode::kUnsupported, "this host does not take organisation rules", id));
    }
    std::vector<rules::Pack> packs;
    if (!rules_it->empty()) {
      const json document = {{"pack", "organisation"},
                             {"version", "policy"},
                             {"description", "Organisation rules from browser policy"},
                             {"rules", *rules_it}};
      auto pack = rules::ParsePack(document.dump(), "policy");
      if (!pack.ok())
        return Serialize(ErrorReply(ErrorCode::kBadRequest, pack.error().Describe(), id));
      packs.push_back(std::move(pack).value());
    }
    auto accepted = services_.rules->ReplaceOrganisation(std::move(packs));
    if (!accepted.ok()) {
      spdlog::warn("organisation rules rejected: {}", accepted.error().Describe());
      return Serialize(ErrorReply(ErrorCode::kBadRequest, accepted.error().Describe(), id));
    }
    ApplyPendingRules();
  }
  auto sites = ParseSites(policy);
  if (!sites.ok())
    return Serialize(ErrorReply(ErrorCode::kBadRequest, sites.error().Describe(), id));
  audit_vocabulary_.SetExtraSites(std::move(sites).value());
  if (services_.updater) services_.updater->AddPolicyKeys(keys.value());
  if (const auto audit_it = policy.find("audit"); audit_it != policy.end() && services_.audit) {
    auto settings = services_.audit_defaults;
    settings.enabled = audit_it->is_object() && audit_it->value("enabled", false);
    settings.syslog = audit_it->is_object() && audit_it->value("syslog", settings.syslog);
    if (auto configured = services_.audit->Configure(settings); !configured.ok()) {
      spdlog::warn("audit not enabled: {}", configured.error().Describe());
    }
  }
  scans_.SetPolicy(overrides.value());
  // Like enforcement, each configure replaces the policy's list (one without allowList
  // clears it); the machine's own list from the system configuration stays beside it.
  const std::size_t allowed = allow_list.value().size();
  std::vector<std::string> entries = services_.allow_list;
  entries.insert(entries.end(), allow_list.value().begin(), allow_list.value().end());
  scans_.SetAllowList(entries.empty() ? nullptr : std::make_shared<const scan::AllowList>(entries));
  // Counts only: the entries are the organisation's names and numbers.
  spdlog::info("configured: {} category overrides, {} policy keys, {} allow-list entries",
               overrides.value().minimum_action.size(), keys.value().size(), allowed);
  json reply = {{"type", "configured"},
                {"policy", EffectivePolicy(overrides.value())},
                {"audit", services_.audit && services_.audit->enabled()}};
  reply["rules"] = scans_.ready() ? protocol::RulesSummary(scans_.rules())
                                  : json{{"version", "none"}, {"packs", json::array()}};
  if (id) reply["id"] = *id;
  return Serialize(reply);
}

std::string RequestHandler::HandleAudit(const json& request) {
  const json* id = UsableId(request);
  const auto event_it = request.find("event");
  if (event_it == request.end())
    return Serialize(ErrorReply(ErrorCode::kBadRequest, "missing 'event'", id));
  auto event = audit::ParseAuditEvent(*event_it);
  if (!event.ok())
    return Serialize(ErrorReply(ErrorCode::kBadRequest, event.error().Describe(), id));
  if (const auto unknown = audit_vocabulary_.UnknownField(event.value())) {
    return Serialize(ErrorReply(ErrorCode::kBadRequest,
                                *unknown + ": not a covered site, or a rule or rules version this "
                                           "host has had in force",
                                id));
  }
  const bool recorded = services_.audit && services_.audit->Record(event.value());
  json reply = {{"type", "audited"}, {"recorded", recorded}};
  if (id) reply["id"] = *id;
  return Serialize(reply);
}

}  // namespace phiguard::service
