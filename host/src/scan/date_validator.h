#pragma once
// Whether a candidate is a real calendar date in one of the forms people write:
// 3/14/2024, 3-14-24, 2024-03-14, 14.03.2024, 3/14 (no year), March 14, 2024,
// 14 March 2024, Mar 14th, March 2024. Leap years are checked; four-digit years must be
// 1900..2099.

#include <string_view>

namespace phiguard::scan {

bool IsCalendarDate(std::string_view candidate);

}  // namespace phiguard::scan
