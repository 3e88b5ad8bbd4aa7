// RFC 3339 timestamps. Every time Switchyard emits (observed_at, issued_at, updated_at) is
// UTC with a "Z" suffix, so consumers can compare them as strings; PSAs send a mix of "Z",
// "+00:00" and local offsets, which parse_rfc3339 / normalize_rfc3339 bring to that form.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "common/result.h"

namespace switchyard {

// "2026-11-25T10:00:00.123Z": UTC, always exactly three fractional digits (truncated).
std::string format_rfc3339_utc(std::chrono::system_clock::time_point time);
// "2026-11-25T10:00:00Z": UTC, whole seconds (truncated toward the past).
std::string format_rfc3339_utc_seconds(std::chrono::system_clock::time_point time);
// format_rfc3339_utc(system_clock::now()).
std::string now_rfc3339();
// "2026-11-25": the UTC calendar day (RFC 3339 full-date) of `time`.
std::string format_utc_date(std::chrono::system_clock::time_point time);

// Accepts "YYYY-MM-DDTHH:MM:SS[.fraction](Z|+hh:mm|-hh:mm)"; 't' and 'z' may be lower case
// (RFC 3339 allows it). Fractions keep up to nanosecond precision; further digits are
// dropped. Dates are checked against the calendar (no February 30). A leap second (:60)
// is read as the first second of the next minute. Error code "invalid_timestamp".
Result<std::chrono::system_clock::time_point> parse_rfc3339(std::string_view text);
// Seconds since the epoch of an RFC 3339 timestamp (a gauge's value); 0 when it does not parse.
double epoch_seconds(std::string_view rfc3339);
// The same instant in canonical form, format_rfc3339_utc_seconds(parse_rfc3339(text)), so
// "2026-11-25T12:00:00+02:00" and "2026-11-25T10:00:00.5Z" both give "2026-11-25T10:00:00Z".
Result<std::string> normalize_rfc3339(std::string_view text);

// True for a calendar-valid "YYYY-MM-DD" (RFC 3339 full-date), e.g. an effective date.
bool is_valid_date(std::string_view text);

}  // namespace switchyard
