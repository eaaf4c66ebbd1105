#pragma once
// What an audit record may name, beyond the right shape: a covered site, rule ids and a
// rules version this host has had in force. A record's fields each pass a shape check
// (audit/audit_event.h), but "john-carter-536-22-8712" is a well-shaped rule id and host
// name; only the host knows which values are real, so only real ones are recorded.

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "audit/audit_event.h"
#include "scan/compiled_rules.h"

namespace phiguard::service {

class AuditVocabulary {
 public:
  // Each rule set the host puts in force, once when it takes effect: its rule ids and
  // version stay valid for the rest of the session (a record can describe a scan made
  // just before an update).
  void NoteRules(const scan::CompiledRules& rules);
  // Sites the organisation added (managed policy extraSites, through configure): host
  // names, or "*.example.org" for a domain and its subdomains.
  void SetExtraSites(std::vector<std::string> hosts) { extra_sites_ = std::move(hosts); }

  // The first field of `event` that names something unknown, or nullopt. Names the field,
  // never the value (a value that is not ours may be text).
  std::optional<std::string> UnknownField(const audit::AuditEvent& event) const;

 private:
  bool KnownSite(std::string_view site) const;

  std::set<std::string, std::less<>> versions_;
  std::set<std::string, std::less<>> rule_ids_;
  std::vector<std::string> extra_sites_;
};

}  // namespace phiguard::service
