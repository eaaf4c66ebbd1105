#pragma once
// One content-free audit record: what was decided and what the user did, never what they
// typed. Every field is an identifier from a closed vocabulary or a validated name, so a
// record cannot carry composed text even if the extension sent it by mistake.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "util/error.h"

namespace phiguard::audit {

struct AuditEvent {
  std::string site;                     // host name, e.g. "x.com"
  std::string verdict;                  // allow | warn | block
  std::vector<std::string> rules;       // rule ids
  std::vector<std::string> categories;  // docs/design.md categories
  // edited | posted_anyway | cancelled | blocked | posted | false_alarm
  std::string outcome;
  std::string justification;  // a category from a closed list, or empty
  std::string rules_version;
  std::string device;  // set by AuditLog from configuration, never taken from a request
};

// Validates the `event` object of an `audit` request. Errors name the field, never the
// value (a value that fails validation might be text).
util::Result<AuditEvent> ParseAuditEvent(const nlohmann::json& event);

// The JSON Lines record, with the time added.
std::string ToRecord(const AuditEvent& event, const std::string& time_utc);

}  // namespace phiguard::audit
