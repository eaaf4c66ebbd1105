#pragma once
// One finding per span: where findings overlap, the strongest wins (finding.h IsStronger).

#include <cstdint>
#include <vector>

#include "scan/finding.h"

namespace phiguard::scan {

// Keeps the strongest of every group of overlapping findings and returns them in text order.
// O(n log n): posts can be pasted documents with thousands of candidates.
std::vector<Finding> ResolveOverlaps(std::vector<Finding> findings);

// ResolveOverlaps on the findings at `subset` (positions in `findings`), without moving
// them: sets `kept[i]` for each that stays. A scan resolves each kind of finding apart
// (scanner.cc), and moving every finding out and back per kind cost more than resolving.
void MarkKept(const std::vector<Finding>& findings, const std::vector<std::uint32_t>& subset,
              std::vector<bool>& kept);

}  // namespace phiguard::scan
