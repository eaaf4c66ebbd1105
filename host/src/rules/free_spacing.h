#pragma once
// Free-spacing patterns: a pack may write a long pattern as `(?x)` followed by the pattern
// spread over lines with `#` comments (rules/README.md "Readable patterns"). RE2 has no
// (?x) and Hyperscan's differs in detail, so the loader removes the spacing itself and both
// engines only ever see the one-line pattern.

#include <string>
#include <string_view>

namespace phiguard::rules {

// The marker that turns free spacing on; only at the very start of a pattern.
inline constexpr std::string_view kFreeSpacingMarker = "(?x)";

// `pattern` without its `(?x)` marker, whitespace and `#` comments; `pattern` unchanged
// when it does not start with the marker. As in PCRE's (?x): inside a character class
// `[...]` (where `]` first in the class, `\]` and `[:alpha:]` do not close it) and inside
// `\Q...\E` every byte is kept; a backslash keeps the byte after it, and `\ ` and `\#`
// become a plain space and `#` (the same meaning once spacing is off, and the output
// reads like a hand-written one-line pattern). A comment runs to the end of its line.
std::string StripFreeSpacing(std::string_view pattern);

}  // namespace phiguard::rules
