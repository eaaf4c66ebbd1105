#pragma once
// The protection floor: the built-in detection a signed bundle or a system pack may update
// but never take away, defined here and nowhere else. A bundle pack with a built-in pack's
// id replaces that pack (rule_manager.h), which is how better defaults ship; without a
// floor the same mechanism ships a pack that detects nothing, and one signed mistake turns
// SSNs and record numbers into `allow` on every host. IT may waive it in
// /etc/phiguard/config.json (`allow_below_protection_floor`), never a bundle itself.
//
// Each floor rule must stay in the set at its built-in action or stricter, and its probe
// (a synthetic text) must still give a finding of the rule's category at the probe's
// action or stricter through the whole pipeline, so a rule kept by id but emptied, or a
// health pack removed so that names no longer link to health, fails as well.

#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "rules/rule.h"
#include "scan/compiled_rules.h"
#include "util/error.h"

namespace phiguard::engine {

struct FloorRule {
  std::string_view rule_id;
  std::string_view category;  // the probe needs a finding of this category...
  rules::Action least;        // ...at this action or stricter
  std::string_view probe;     // synthetic, never from a record
};

// The floor: SSN, MRN, health-plan identifiers, and names linked to health.
std::span<const FloorRule> ProtectionFloor();

// Checks `candidate` against the floor rules that `builtin` defines (a floor rule missing
// from the built-in packs is not checked: test builds run with small packs). The error
// names the floor rule and what is missing.
std::optional<util::Error> CheckProtectionFloor(
    const std::vector<rules::Pack>& builtin,
    const std::shared_ptr<const scan::CompiledRules>& candidate);

// Organisation rules only add: a cue rule that lowers other findings (`"evidence"`
// `staff` or `not_patient`) is refused, since it would turn built-in name, date and phone
// findings near its words into info. The error names the rule.
std::optional<util::Error> CheckOnlyAdds(const std::vector<rules::Pack>& organisation);

}  // namespace phiguard::engine
