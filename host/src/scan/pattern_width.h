#pragma once
// The most bytes a pattern can match, read from the pattern's text (and, below, whether
// its span group is the whole match).
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

// Whether capture group `group` of `pattern` is always the whole match: the pattern's top
// level is a sequence whose only part that matches bytes is that group, unrepeated, with
// nothing but anchors before it (\b(...)\b). Then RE2 need not be asked for the
// group: finding the match is enough. Group 0 is the whole match by definition. False for
// syntax this does not know.
bool SpanGroupIsWholeMatch(std::string_view pattern, unsigned int group);

}  // namespace phiguard::scan
