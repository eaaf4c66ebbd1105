#pragma once
// Whether a candidate states an age over 89, which HIPAA Safe Harbor treats as identifying
// (45 CFR 164.514(b)(2)(i)(C)): "94 y/o", "aged 101", "late 90s", "ninety-one",
// "a hundred and two", "centenarian". Ages above 130 are not a person's age.

#include <string_view>

namespace phiguard::scan {

bool IsAgeOver89(std::string_view candidate);

}  // namespace phiguard::scan
