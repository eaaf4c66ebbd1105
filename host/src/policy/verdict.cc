#include "policy/verdict.h"

#include <algorithm>

namespace phiguard::policy {

std::string_view ToString(Verdict verdict) {
  switch (verdict) {
    case Verdict::kAllow:
      return "allow";
    case Verdict::kWarn:
      return "warn";
    case Verdict::kBlock:
      return "block";
  }
  return "allow";
}

Verdict Decide(std::vector<scan::Finding>& findings, const PolicyOverrides& overrides) {
  rules::Action strictest = rules::Action::kInfo;
  for (auto& finding : findings) {
    if (const auto it = overrides.minimum_action.find(finding.rule->category);
        it != overrides.minimum_action.end()) {
      finding.action = std::max(finding.action, it->second);
    }
    strictest = std::max(strictest, finding.action);
  }
  switch (strictest) {
    case rules::Action::kBlock:
      return Verdict::kBlock;
    case rules::Action::kWarn:
      return Verdict::kWarn;
    case rules::Action::kInfo:
      break;
  }
  return Verdict::kAllow;
}

}  // namespace phiguard::policy
