#include "common/time_format.h"

#include <cstdint>
#include <cstdio>
#include <optional>

namespace switchyard {
namespace {

using namespace std::chrono;

// Reads exactly `count` decimal digits at `pos`, advancing it.
std::optional<int> read_digits(std::string_view text, size_t& pos, size_t count) {
  if (pos + count > text.size()) return std::nullopt;
  int value = 0;
  for (size_t i = 0; i < count; ++i) {
    const char c = text[pos + i];
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  pos += count;
  return value;
}

bool expect(std::string_view text, size_t& pos, char c) {
  if (pos >= text.size() || text[pos] != c) return false;
  ++pos;
  return true;
}

// Parses "YYYY-MM-DD" at pos into a calendar date, or nullopt when malformed or not a real day.
std::optional<year_month_day> read_date(std::string_view text, size_t& pos) {
  const auto y = read_digits(text, pos, 4);
  if (!y || !expect(text, pos, '-')) return std::nullopt;
  const auto m = read_digits(text, pos, 2);
  if (!m || !expect(text, pos, '-')) return std::nullopt;
  const auto d = read_digits(text, pos, 2);
  if (!d) return std::nullopt;
  const year_month_day date{year{*y}, month{static_cast<unsigned>(*m)},
                            day{static_cast<unsigned>(*d)}};
  if (!date.ok()) return std::nullopt;
  return date;
}

Error invalid(std::string_view text, std::string_view why) {
  // Bound the echo: timestamps come from outside, and a huge value must not bloat logs.
  constexpr size_t kMaxEcho = 64;
  std::string shown(text.substr(0, kMaxEcho));
  if (text.size() > kMaxEcho) shown += "...";
  return make_error("invalid_timestamp",
                    "not an RFC 3339 timestamp (" + std::string(why) + "): \"" + shown + "\"");
}

// Writes v as `width` decimal digits, zero-padded (v fits). By hand, not snprintf: every webhook
// and event is stamped, and snprintf's format parsing showed in ingest's profile (issue #18).
char* put_digits(char* out, int v, int width) {
  for (int i = width - 1; i >= 0; --i) {
    out[i] = static_cast<char>('0' + v % 10);
    v /= 10;
  }
  return out + width;
}

// "YYYY-MM-DDTHH:MM:SS" of a UTC time already floored to whole seconds.
std::string format_seconds_part(sys_seconds time) {
  const auto day_start = floor<days>(time);
  const year_month_day date{day_start};
  const hh_mm_ss clock{time - day_start};
  const int y = static_cast<int>(date.year());  // 1677–2262: system_clock counts nanoseconds
  std::string out(19, '\0');
  char* p = out.data();
  p = put_digits(p, y, 4);
  *p++ = '-';
  p = put_digits(p, static_cast<int>(static_cast<unsigned>(date.month())), 2);
  *p++ = '-';
  p = put_digits(p, static_cast<int>(static_cast<unsigned>(date.day())), 2);
  *p++ = 'T';
  p = put_digits(p, static_cast<int>(clock.hours().count()), 2);
  *p++ = ':';
  p = put_digits(p, static_cast<int>(clock.minutes().count()), 2);
  *p++ = ':';
  put_digits(p, static_cast<int>(clock.seconds().count()), 2);
  return out;
}

}  // namespace

std::string format_rfc3339_utc(system_clock::time_point time) {
  const auto ms = floor<milliseconds>(time);
  const auto secs = floor<seconds>(ms);
  std::string out = format_seconds_part(secs);
  char frac[5] = {'.', '0', '0', '0', 'Z'};
  put_digits(frac + 1, static_cast<int>((ms - secs).count()), 3);
  out.append(frac, sizeof frac);
  return out;
}

std::string format_rfc3339_utc_seconds(system_clock::time_point time) {
  return format_seconds_part(floor<seconds>(time)) + "Z";
}

std::string now_rfc3339() { return format_rfc3339_utc(system_clock::now()); }

Result<system_clock::time_point> parse_rfc3339(std::string_view text) {
  size_t pos = 0;
  const auto date = read_date(text, pos);
  if (!date) return invalid(text, "bad date");
  if (pos >= text.size() || (text[pos] != 'T' && text[pos] != 't')) {
    return invalid(text, "expected 'T'");
  }
  ++pos;

  const auto hh = read_digits(text, pos, 2);
  if (!hh || !expect(text, pos, ':')) return invalid(text, "bad time");
  const auto mm = read_digits(text, pos, 2);
  if (!mm || !expect(text, pos, ':')) return invalid(text, "bad time");
  const auto ss = read_digits(text, pos, 2);
  if (!ss) return invalid(text, "bad time");
  if (*hh > 23 || *mm > 59 || *ss > 60) return invalid(text, "time out of range");

  nanoseconds fraction{0};
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    const size_t start = pos;
    int64_t nanos = 0;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      if (pos - start < 9) nanos = nanos * 10 + (text[pos] - '0');
      ++pos;
    }
    if (pos == start) return invalid(text, "empty fraction");
    for (size_t digits = pos - start; digits < 9; ++digits) nanos *= 10;
    fraction = nanoseconds{nanos};
  }

  minutes offset{0};
  if (pos >= text.size()) return invalid(text, "missing offset");
  if (text[pos] == 'Z' || text[pos] == 'z') {
    ++pos;
  } else if (text[pos] == '+' || text[pos] == '-') {
    const bool negative = text[pos] == '-';
    ++pos;
    const auto oh = read_digits(text, pos, 2);
    if (!oh || !expect(text, pos, ':')) return invalid(text, "bad offset");
    const auto om = read_digits(text, pos, 2);
    if (!om || *oh > 23 || *om > 59) return invalid(text, "bad offset");
    offset = hours{*oh} + minutes{*om};
    if (negative) offset = -offset;
  } else {
    return invalid(text, "bad offset");
  }
  if (pos != text.size()) return invalid(text, "trailing characters");

  // Local wall time minus its offset is UTC. Computed in seconds first: system_clock counts
  // nanoseconds in an int64 (years ~1678..2261), and converting an out-of-range year would
  // overflow.
  const sys_seconds utc = sys_days{*date} + hours{*hh} + minutes{*mm} + seconds{*ss} - offset;
  const auto earliest = ceil<seconds>(system_clock::time_point::min()) + seconds{1};
  const auto latest = floor<seconds>(system_clock::time_point::max()) - seconds{1};
  if (utc < earliest || utc > latest) return invalid(text, "year out of range");
  return time_point_cast<system_clock::duration>(utc) + fraction;
}

Result<std::string> normalize_rfc3339(std::string_view text) {
  auto time = parse_rfc3339(text);
  if (!time) return time.error();
  return format_rfc3339_utc_seconds(*time);
}

std::string format_utc_date(std::chrono::system_clock::time_point time) {
  return format_rfc3339_utc_seconds(time).substr(0, 10);
}

bool is_valid_date(std::string_view text) {
  size_t pos = 0;
  return read_date(text, pos).has_value() && pos == text.size();
}

double epoch_seconds(std::string_view rfc3339) {
  auto t = parse_rfc3339(rfc3339);
  return t ? std::chrono::duration<double>(t->time_since_epoch()).count() : 0;
}

}  // namespace switchyard
