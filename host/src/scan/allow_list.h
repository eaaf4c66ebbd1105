#pragma once
// The organisation's allow-list (managed policy `allowList`, docs/protocol.md "configure"):
// its staff's names and its own phone numbers and addresses. Those are identifiers, but not a
// patient's, and a post that names the clinic's switchboard or thanks a named nurse is not a
// disclosure. An identifier finding whose text is an entry is dropped before linkage, so an
// allowed name neither warns nor ties a nearby health word to a patient.
//
// Matching is exact after folding, never partial: "Jordan Rivera" on the list does not allow
// a patient called Jordan. Entries and findings are both folded as the scanner folds text
// (util::NormalizedText), then:
//   - an entry with no letters ("(555) 555-2000") is a number: it matches a finding without
//     letters that has the same digits ("555.555.2000"; a leading NANP "1" is ignored), and
//     a ten-digit entry also its seven-digit local form ("555-2000");
//   - any other entry ("Jordan Rivera", "100 Main Street") matches a finding with the same
//     text, ignoring ASCII case and runs of white space.
// The entries are the organisation's data: they are never logged, and audit records never
// name them (they carry rule ids, not text).

#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "rules/rule.h"

namespace phiguard::scan {

class AllowList {
 public:
  AllowList() = default;
  explicit AllowList(const std::vector<std::string>& entries);

  bool empty() const { return words_.empty() && numbers_.empty(); }

  // Whether a finding of `rule` whose text (normalised) is `matched` is the organisation's
  // own. Only identifier rules (kind phi) are ever allowed, and never the protection floor's
  // record numbers (ssn, mrn, health_plan: engine/protection_floor.h): those are never an
  // organisation's own, and a list must not become a way to let one patient's through.
  bool Allows(const rules::Rule& rule, std::string_view matched) const;
  // Whether findings of `rule` can be allowed at all (the first two conditions above).
  bool Reaches(const rules::Rule& rule) const;

 private:
  std::unordered_set<std::string> words_;    // folded text of entries with letters
  std::unordered_set<std::string> numbers_;  // digits of entries without letters
};

}  // namespace phiguard::scan
