#pragma once
// One finding per span: where findings overlap, the strongest wins (finding.h IsStronger).

#include <vector>

#include "scan/finding.h"

namespace phiguard::scan {

// Keeps the strongest of every group of overlapping findings and returns them in text order.
// O(n log n): posts can be pasted documents with thousands of candidates.
std::vector<Finding> ResolveOverlaps(std::vector<Finding> findings);

}  // namespace phiguard::scan
