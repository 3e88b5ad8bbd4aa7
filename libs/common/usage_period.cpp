#include "common/usage_period.h"

#include <date/date.h>
#include <date/tz.h>

#include <cstdio>
#include <stdexcept>

namespace switchyard::usage {
namespace {

Result<const date::time_zone*> zone_of(std::string_view name) {
  if (name.empty()) return static_cast<const date::time_zone*>(nullptr);
  try {
    return date::locate_zone(std::string(name));
  } catch (const std::exception&) {
    return make_error("invalid_field", "billing_timezone: unknown time zone \"" + std::string(name) +
                                           "\" (an IANA name such as Europe/Berlin)");
  }
}

date::year_month parse_period(std::string_view period) {
  const int year = std::stoi(std::string(period.substr(0, 4)));
  const unsigned month = static_cast<unsigned>(std::stoi(std::string(period.substr(5, 2))));
  return date::year{year} / date::month{month};
}

std::string format(date::year_month ym) {
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u", static_cast<int>(ym.year()), static_cast<unsigned>(ym.month()));
  return text;
}

}  // namespace

Status check_time_zone(std::string_view zone) {
  auto z = zone_of(zone);
  if (!z) return z.error();
  return ok_status();
}

Result<std::string> period_of(std::chrono::system_clock::time_point at, std::string_view zone) {
  auto z = zone_of(zone);
  if (!z) return z.error();
  const auto seconds = std::chrono::time_point_cast<std::chrono::seconds>(at);
  date::local_days day;
  if (*z == nullptr) {
    day = date::local_days{date::floor<date::days>(seconds).time_since_epoch()};
  } else {
    day = date::floor<date::days>((*z)->to_local(seconds));
  }
  const date::year_month_day ymd{day};
  return format(ymd.year() / ymd.month());
}

Result<std::chrono::system_clock::time_point> period_end(std::string_view period, std::string_view zone) {
  auto z = zone_of(zone);
  if (!z) return z.error();
  const date::year_month next = parse_period(period) + date::months{1};
  const date::local_days first{next / date::day{1}};
  if (*z == nullptr) return std::chrono::system_clock::time_point{first.time_since_epoch()};
  // Midnight exists in every zone we know of on the 1st; `earliest` settles an ambiguous one.
  return std::chrono::system_clock::time_point{
      (*z)->to_sys(date::local_seconds{first.time_since_epoch()}, date::choose::earliest).time_since_epoch()};
}

std::string next_period(std::string_view period) { return format(parse_period(period) + date::months{1}); }

std::string last_day(std::string_view period) {
  const date::year_month_day_last last{parse_period(period) / date::last};
  char text[16];
  std::snprintf(text, sizeof text, "%s-%02u", format(last.year() / last.month()).c_str(), static_cast<unsigned>(last.day()));
  return text;
}

}  // namespace switchyard::usage
