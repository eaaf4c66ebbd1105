#include "service/audit_vocabulary.h"

#include <algorithm>

#include "engine/engine.h"
#include "rules/covered_sites.h"

namespace phiguard::service {

void AuditVocabulary::NoteRules(const scan::CompiledRules& rules) {
  versions_.insert(rules.version());
  for (const auto& compiled : rules.rules()) rule_ids_.insert(compiled.rule->id);
  rule_ids_.insert(std::string(engine::kScanCappedRuleId));
}

bool AuditVocabulary::KnownSite(std::string_view site) const {
  const auto built_in = rules::BuiltInSiteHosts();
  if (std::find(built_in.begin(), built_in.end(), site) != built_in.end()) return true;
  return std::any_of(extra_sites_.begin(), extra_sites_.end(), [&](std::string_view entry) {
    if (!entry.starts_with("*.")) return site == entry;
    const auto domain = entry.substr(2);
    return site == domain || (site.size() > domain.size() && site.ends_with(domain) &&
                              site[site.size() - domain.size() - 1] == '.');
  });
}

std::optional<std::string> AuditVocabulary::UnknownField(const audit::AuditEvent& event) const {
  if (!KnownSite(event.site)) return "event.site";
  if (!event.rules_version.empty() && !versions_.contains(event.rules_version)) {
    return "event.rules_version";
  }
  for (const auto& id : event.rules) {
    if (!rule_ids_.contains(id)) return "event.rules";
  }
  return std::nullopt;
}

}  // namespace phiguard::service
