#include "engine/protection_floor.h"

#include <algorithm>
#include <array>
#include <string>

#include "scan/scanner.h"

namespace phiguard::engine {
namespace {

using rules::Action;

// Probes are the rules' own synthetic examples, so a detection change that breaks one
// also fails `rules test`, not only this floor.
constexpr std::array kFloor = {
    FloorRule{"phi.ssn", "ssn", Action::kBlock, "SSN 524-71-3308"},
    FloorRule{"phi.ssn_unformatted", "ssn", Action::kBlock, "SSN: 283406617"},
    FloorRule{"phi.mrn", "mrn", Action::kBlock, "MRN 00739154"},
    FloorRule{"phi.mrn_patient_number", "mrn", Action::kBlock, "patient #70218846"},
    FloorRule{"phi.health_plan_id", "health_plan", Action::kBlock, "Member ID: KPW607218834"},
    FloorRule{"phi.mbi", "health_plan", Action::kBlock, "MBI 3TN6-CF8-RK41"},
    // Names tied to health: the name rules and the health evidence that links them.
    FloorRule{"phi.name_titled", "name", Action::kWarn, "Mr. Halvorsen pulled his NG tube again"},
    FloorRule{"phi.name_full", "name", Action::kWarn,
              "Renata Okafor was discharged after her CABG."},
    FloorRule{"health.term", "health", Action::kInfo, "admitted with pneumonia"},
};

const rules::Rule* FindRule(const std::vector<rules::Pack>& packs, std::string_view id) {
  for (const auto& pack : packs) {
    for (const auto& rule : pack.rules) {
      if (rule.id == id) return &rule;
    }
  }
  return nullptr;
}

bool ProbeHolds(scan::Scanner& scanner, const FloorRule& floor) {
  const auto output = scanner.Scan(floor.probe);
  return std::any_of(output.findings.begin(), output.findings.end(), [&](const scan::Finding& f) {
    return f.rule->category == floor.category && f.action >= floor.least;
  });
}

util::Error Below(const FloorRule& floor, std::string reason) {
  return util::Error{"protection floor: " + std::string(floor.rule_id),
                     std::move(reason) +
                         " (a bundle or system pack may update built-in rules, not remove "
                         "them; allow_below_protection_floor in the configuration waives this)"};
}

}  // namespace

std::span<const FloorRule> ProtectionFloor() { return kFloor; }

std::optional<util::Error> CheckProtectionFloor(
    const std::vector<rules::Pack>& builtin,
    const std::shared_ptr<const scan::CompiledRules>& candidate) {
  // Missing and lowered rules first, for every floor rule: they are the plainer reason, and
  // they need no scanner. Only then the probes, which can fail for any of several rules
  // when a pack they all depend on (the health words) is gone.
  std::vector<const FloorRule*> shipped;  // the floor rules the built-in packs have
  for (const auto& floor : kFloor) {
    const rules::Rule* original = FindRule(builtin, floor.rule_id);
    if (!original) continue;
    const rules::Rule* now = FindRule(candidate->packs(), floor.rule_id);
    if (!now) return Below(floor, "the rule is missing");
    if (now->action < original->action) return Below(floor, "the rule's action is lower");
    shipped.push_back(&floor);
  }
  if (shipped.empty()) return std::nullopt;
  scan::Scanner scanner(candidate);
  for (const FloorRule* floor : shipped) {
    if (!ProbeHolds(scanner, *floor)) {
      return Below(*floor, "its probe no longer gives a " + std::string(floor->category) +
                               " finding at " + std::string(rules::ToString(floor->least)) +
                               " or stricter");
    }
  }
  return std::nullopt;
}

std::optional<util::Error> CheckOnlyAdds(const std::vector<rules::Pack>& organisation) {
  for (const auto& pack : organisation) {
    if (pack.voice_model) {
      return util::Error{pack.source,
                         "organisation rules only add: a 'voice_model' would lower built-in "
                         "findings (it belongs in a signed bundle or the system rules "
                         "directory)"};
    }
    for (const auto& rule : pack.rules) {
      if (rule.kind != rules::Kind::kCue) continue;
      if (rule.evidence == rules::Evidence::kStaff ||
          rule.evidence == rules::Evidence::kNotPatient) {
        return util::Error{pack.source + ": " + rule.id,
                           "organisation rules only add: a cue with evidence 'staff' or "
                           "'not_patient' would lower built-in findings (put suppressors in a "
                           "signed bundle or the system rules directory)"};
      }
    }
  }
  return std::nullopt;
}

}  // namespace phiguard::engine
