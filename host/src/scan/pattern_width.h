#pragma once
// The most bytes a pattern can match, read from the pattern's text.
//
// The confirm stage runs RE2 over a window as wide as the widest match of a rule, so that
// width decides what is found. Hyperscan computes it exactly (AnalyseExpression), but that
// costs a third of a warm start, and a width stored in the compiled-rules cache is input the
// monitored user can edit (SECURITY.md "A poisoned compiled-rules cache"): a narrowed width
// would blind the rule. This bound needs neither: it walks the pattern once, counting each
// literal, escape, class or dot as one byte, the widest branch of each alternation and the
// upper count of each repeat, and answers "unbounded" for anything it does not know. It is
// never below the true width, and equal to it for every pattern in the built-in packs
// (tests/unit/pattern_width_test.cc checks both against Hyperscan).

#include <climits>
#include <string_view>

namespace phiguard::scan {

inline constexpr unsigned int kUnboundedWidth = UINT_MAX;

// The widest match of `pattern` (Hyperscan syntax, matched as bytes) in bytes, or
// kUnboundedWidth when a repeat has no upper count or the syntax is not understood.
unsigned int MaxWidthBound(std::string_view pattern);

}  // namespace phiguard::scan
