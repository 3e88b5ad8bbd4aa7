// Billing periods of the Usage → Billing recipe (docs/recipes.md): calendar months in the
// tenant's billing_timezone (an IANA name, "Europe/Berlin"; UTC when unset), named "YYYY-MM".
// The system's tz database is read through Howard Hinnant's date library, so a month that
// starts in summer time ends at the right instant.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "common/result.h"

namespace switchyard::usage {

// Checks a billing_timezone value ("" is UTC); error "invalid_field" naming it.
Status check_time_zone(std::string_view zone);
// The month `at` falls in, in `zone` ("" = UTC). Error for an unknown zone.
Result<std::string> period_of(std::chrono::system_clock::time_point at, std::string_view zone);
// The instant `period` ends (the next month's first midnight in `zone`).
Result<std::chrono::system_clock::time_point> period_end(std::string_view period, std::string_view zone);
// "2026-12" → "2027-01". `period` must be YYYY-MM.
std::string next_period(std::string_view period);
// The last day of `period`, "YYYY-MM-DD" (a billing line's effective date).
std::string last_day(std::string_view period);

}  // namespace switchyard::usage
