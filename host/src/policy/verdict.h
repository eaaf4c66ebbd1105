#pragma once
// From findings to the verdict the extension acts on. Organisation policy can only make
// actions stricter than the rules say, never looser (docs/design.md "Wire protocol", configure).

#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "rules/rule.h"
#include "scan/finding.h"

namespace phiguard::policy {

enum class Verdict { kAllow, kWarn, kBlock };
std::string_view ToString(Verdict verdict);

struct PolicyOverrides {
  // Per category, the least strict action a finding of that category may have.
  std::map<std::string, rules::Action, std::less<>> minimum_action;
  // Categories in audit mode: their findings are marked audited and count for nothing else.
  // Roll-out starts here, so IT sees what would be stopped before anyone is interrupted.
  std::set<std::string, std::less<>> audited;
};

// NOTE: a name alone with a diagnosis warns; a name with a date of birth, an address or a
// room next to it identifies one patient to anyone who reads it. Two linked identifiers of
// different categories this close together (about two sentences) are taken as one
// patient's, and block.
inline constexpr std::size_t kCombinedWindowBytes = 200;

// Marks findings of audited categories, applies the overrides to each other finding's
// action, then combination severity (linked identifiers of two or more categories within
// kCombinedWindowBytes of each other block, and say so in their context words), then
// returns the strictest outcome of the findings not audited: block if any blocks, warn if
// any warns, allow otherwise (info findings only inform). An audited finding keeps the
// action its rule gives it, so a record can say what would have happened.
Verdict Decide(std::vector<scan::Finding>& findings, const PolicyOverrides& overrides);

}  // namespace phiguard::policy
