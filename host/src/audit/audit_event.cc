#include "audit/audit_event.h"

#include <algorithm>
#include <array>

#include "rules/rule.h"

namespace phiguard::audit {
namespace {

using nlohmann::json;

constexpr std::array<std::string_view, 3> kVerdicts = {"allow", "warn", "block"};
// false_alarm: the user reported the last check's findings as wrong (the popup's "Report a
// false alarm"); the record names the rules and categories of that check, like the others.
constexpr std::array<std::string_view, 6> kOutcomes = {"edited",  "posted_anyway", "cancelled",
                                                       "blocked", "posted",        "false_alarm"};
// Justification categories the extension offers; free text is never recorded.
constexpr std::array<std::string_view, 5> kJustifications = {
    "consent_on_file", "public_information", "not_patient_information", "false_positive", "other"};

template <std::size_t N>
bool OneOf(const std::array<std::string_view, N>& allowed, std::string_view value) {
  return std::find(allowed.begin(), allowed.end(), value) != allowed.end();
}

bool IsHostName(std::string_view value) {
  return !value.empty() && value.size() <= 253 &&
         std::all_of(value.begin(), value.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-';
         });
}

bool IsRuleId(std::string_view value) {
  return !value.empty() && value.size() <= 128 &&
         std::all_of(value.begin(), value.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
                  c == '-';
         });
}

struct FieldError {
  std::string field;
};

std::string Field(const json& event, const char* name, bool required) {
  const auto it = event.find(name);
  if (it == event.end()) {
    if (required) throw FieldError{name};
    return {};
  }
  if (!it->is_string()) throw FieldError{name};
  return it->get<std::string>();
}

std::vector<std::string> List(const json& event, const char* name,
                              bool (*valid)(std::string_view)) {
  std::vector<std::string> out;
  const auto it = event.find(name);
  if (it == event.end()) return out;
  if (!it->is_array() || it->size() > 256) throw FieldError{name};
  for (const auto& item : *it) {
    if (!item.is_string() || !valid(item.get_ref<const std::string&>())) throw FieldError{name};
    out.push_back(item.get<std::string>());
  }
  return out;
}

bool IsCategory(std::string_view value) { return rules::IsKnownCategory(value); }

bool IsVersion(std::string_view value) {
  return value.size() <= 512 && std::all_of(value.begin(), value.end(), [](char c) {
           return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_' ||
                  c == '@' || c == '+';
         });
}

}  // namespace

util::Result<AuditEvent> ParseAuditEvent(const json& event) {
  if (!event.is_object()) return util::Error{"event", "must be an object"};
  AuditEvent out;
  try {
    out.site = Field(event, "site", true);
    if (!IsHostName(out.site)) throw FieldError{"site"};
    out.verdict = Field(event, "verdict", true);
    if (!OneOf(kVerdicts, out.verdict)) throw FieldError{"verdict"};
    out.outcome = Field(event, "outcome", true);
    if (!OneOf(kOutcomes, out.outcome)) throw FieldError{"outcome"};
    out.justification = Field(event, "justification", false);
    if (!out.justification.empty() && !OneOf(kJustifications, out.justification)) {
      throw FieldError{"justification"};
    }
    out.rules_version = Field(event, "rules_version", false);
    if (!IsVersion(out.rules_version)) throw FieldError{"rules_version"};
    out.rules = List(event, "rules", IsRuleId);
    out.categories = List(event, "categories", IsCategory);
  } catch (const FieldError& e) {
    return util::Error{"event." + e.field, "missing or not an allowed value"};
  }
  return out;
}

std::string ToRecord(const AuditEvent& event, const std::string& time_utc) {
  json record = {{"time", time_utc},         {"site", event.site},
                 {"verdict", event.verdict}, {"outcome", event.outcome},
                 {"rules", event.rules},     {"categories", event.categories}};
  if (!event.justification.empty()) record["justification"] = event.justification;
  if (!event.rules_version.empty()) record["rules_version"] = event.rules_version;
  if (!event.device.empty()) record["device"] = event.device;
  return record.dump();
}

}  // namespace phiguard::audit
