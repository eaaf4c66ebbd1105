#pragma once
// Named checks that a candidate really is the identifier its pattern says, called by name
// from the rule data ("validate": "ssn"). The data holds the names; the mechanism is here.

#include <string_view>
#include <vector>

namespace phiguard::scan {

// A validator sees the candidate span of normalised text (ASCII digits, '-' for dashes)
// and answers whether it is a plausible, well-formed identifier of its kind.
using Validator = bool (*)(std::string_view candidate);

// The validator registered under `name`, or nullptr when there is none.
Validator FindValidator(std::string_view name);

// Every registered name, for `phiguard rules` messages and the schema.
std::vector<std::string_view> ValidatorNames();

}  // namespace phiguard::scan
