#pragma once
// Named pattern fragments: a pack defines a piece of pattern once under "fragments" (the
// month names, a street suffix) and its rules write `{{month}}` where it goes
// (rules/README.md "Readable patterns"). The loader expands them, so the engines, the
// compiled-rules cache key and `rules test` only ever see the expanded pattern.
//
// `{{` cannot be a quantifier (those are `{n}`, `{n,}`, `{n,m}` with digits), so every
// `{{` that is not escaped starts a reference; a literal brace is `\{`.

#include <cstddef>
#include <map>
#include <string>
#include <string_view>

#include "util/error.h"

namespace phiguard::rules {

// Fragment name to its text, references already expanded.
using Fragments = std::map<std::string, std::string, std::less<>>;

// A fragment name: a lower-case letter, then up to 63 of a-z 0-9 _.
bool IsValidFragmentName(std::string_view name);

// `pattern` with every `{{name}}` replaced by that fragment's text, inserted as written
// (no group is added, so a fragment with a top-level `|` should be a group itself).
// Errors (unknown fragment, a `{{` that is not a reference, a result longer than
// `max_length`) have an empty `where`: the caller knows which rule or fragment it is.
util::Result<std::string> ExpandFragments(std::string_view pattern, const Fragments& fragments,
                                          std::size_t max_length);

// Expands the references fragments make to each other. An error's `where` is
// "fragment NAME": a bad name, an unknown or cyclic reference (its reason shows the
// cycle), or a fragment longer than `max_length` once expanded.
util::Result<Fragments> ResolveFragments(const Fragments& written, std::size_t max_length);

}  // namespace phiguard::rules
