#include "common/time_format.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

namespace switchyard {
namespace {

using namespace std::chrono;

// 2026-11-25T10:00:00Z built from the calendar, independent of the code under test.
sys_seconds reference_time() { return sys_days{year{2026} / November / 25} + hours{10}; }

TEST(TimeFormatTest, FormatsUtcWithMilliseconds) {
  EXPECT_EQ(format_rfc3339_utc(reference_time() + milliseconds{123}), "2026-11-25T10:00:00.123Z");
  EXPECT_EQ(format_rfc3339_utc(reference_time()), "2026-11-25T10:00:00.000Z");
  // Sub-millisecond parts are truncated, not rounded up into the next millisecond.
  EXPECT_EQ(format_rfc3339_utc(reference_time() + microseconds{999'999}),
            "2026-11-25T10:00:00.999Z");
  EXPECT_EQ(format_rfc3339_utc(system_clock::time_point{}), "1970-01-01T00:00:00.000Z");
  // Before the epoch, floor (not truncation toward zero) keeps the date right.
  EXPECT_EQ(format_rfc3339_utc(system_clock::time_point{} - milliseconds{1}),
            "1969-12-31T23:59:59.999Z");
}

TEST(TimeFormatTest, FormatsSecondsPrecision) {
  EXPECT_EQ(format_rfc3339_utc_seconds(reference_time() + milliseconds{999}),
            "2026-11-25T10:00:00Z");
  EXPECT_EQ(format_rfc3339_utc_seconds(sys_days{year{2028} / February / 29} + hours{23} +
                                       minutes{59} + seconds{59}),
            "2028-02-29T23:59:59Z");
}

TEST(TimeFormatTest, FormatsTheUtcDay) {
  EXPECT_EQ(format_utc_date(reference_time()), "2026-11-25");
  // The last instant of a leap day is still that day; the next second is March.
  const auto leap_day_end = sys_days{year{2028} / February / 29} + hours{23} + minutes{59} + seconds{59};
  EXPECT_EQ(format_utc_date(leap_day_end + milliseconds{999}), "2028-02-29");
  EXPECT_EQ(format_utc_date(leap_day_end + seconds{1}), "2028-03-01");
}

TEST(TimeFormatTest, NowIsCurrentAndWellFormed) {
  const auto before = floor<milliseconds>(system_clock::now());
  const std::string now = now_rfc3339();
  const auto after = system_clock::now();
  ASSERT_EQ(now.size(), 24u) << now;
  EXPECT_EQ(now.back(), 'Z');
  auto parsed = parse_rfc3339(now);
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_GE(*parsed, before);
  EXPECT_LE(*parsed, after);
}

TEST(TimeFormatTest, ParsesZuluAndOffsets) {
  EXPECT_EQ(parse_rfc3339("2026-11-25T10:00:00Z").value(), reference_time());
  EXPECT_EQ(parse_rfc3339("2026-11-25T10:00:00+00:00").value(), reference_time());
  EXPECT_EQ(parse_rfc3339("2026-11-25T10:00:00-00:00").value(), reference_time());
  EXPECT_EQ(parse_rfc3339("2026-11-25T12:30:00+02:30").value(), reference_time());
  EXPECT_EQ(parse_rfc3339("2026-11-25T05:00:00-05:00").value(), reference_time());
  // An offset can move the instant across a day boundary.
  EXPECT_EQ(parse_rfc3339("2026-11-24T23:00:00-11:00").value(), reference_time());
  EXPECT_EQ(parse_rfc3339("2026-11-25t10:00:00z").value(), reference_time());
}

TEST(TimeFormatTest, ParsesFractions) {
  EXPECT_EQ(parse_rfc3339("2026-11-25T10:00:00.5Z").value(), reference_time() + milliseconds{500});
  EXPECT_EQ(parse_rfc3339("2026-11-25T10:00:00.123Z").value(),
            reference_time() + milliseconds{123});
  EXPECT_EQ(parse_rfc3339("2026-11-25T10:00:00.000000001Z").value(),
            reference_time() + nanoseconds{1});
  // Digits beyond nanoseconds are dropped.
  EXPECT_EQ(parse_rfc3339("2026-11-25T10:00:00.1234567899Z").value(),
            reference_time() + nanoseconds{123456789});
  EXPECT_EQ(parse_rfc3339("2026-11-25T11:00:00.250+01:00").value(),
            reference_time() + milliseconds{250});
}

TEST(TimeFormatTest, LeapSecondRollsIntoNextMinute) {
  EXPECT_EQ(parse_rfc3339("2026-11-25T09:59:60Z").value(), reference_time());
}

TEST(TimeFormatTest, FormatParseRoundTrip) {
  const auto t = reference_time() + milliseconds{42};
  EXPECT_EQ(parse_rfc3339(format_rfc3339_utc(t)).value(), t);
}

TEST(TimeFormatTest, RejectsMalformedInput) {
  for (const char* bad : {
           "",
           "2026-11-25",
           "2026-11-25T10:00:00",        // no offset
           "2026-11-25 10:00:00Z",       // space separator
           "2026-11-25T10:00Z",          // no seconds
           "2026-13-01T00:00:00Z",       // month 13
           "2026-02-29T00:00:00Z",       // not a leap year
           "2026-04-31T00:00:00Z",
           "2026-11-25T24:00:00Z",
           "2026-11-25T10:60:00Z",
           "2026-11-25T10:00:61Z",
           "2026-11-25T10:00:00.Z",      // empty fraction
           "2026-11-25T10:00:00+0200",   // offset without colon
           "2026-11-25T10:00:00+24:00",
           "2026-11-25T10:00:00Zjunk",
           "26-11-25T10:00:00Z",
           "2026-1-25T10:00:00Z",
           "9999-12-31T23:59:59Z",       // beyond what system_clock can hold
           "0001-01-01T00:00:00Z",
       }) {
    auto parsed = parse_rfc3339(bad);
    EXPECT_FALSE(parsed.ok()) << "accepted: " << bad;
    if (!parsed.ok()) {
      EXPECT_EQ(parsed.error().code, "invalid_timestamp") << bad;
    }
  }
}

TEST(TimeFormatTest, ErrorEchoIsBounded) {
  const std::string huge(10'000, 'x');
  auto parsed = parse_rfc3339(huge);
  ASSERT_FALSE(parsed.ok());
  EXPECT_LT(parsed.error().message.size(), 200u);
}

TEST(TimeFormatTest, NormalizeMapsEquivalentFormsToOneValue) {
  const char* expected = "2026-11-25T10:00:00Z";
  EXPECT_EQ(normalize_rfc3339("2026-11-25T10:00:00Z").value(), expected);
  EXPECT_EQ(normalize_rfc3339("2026-11-25T10:00:00+00:00").value(), expected);
  EXPECT_EQ(normalize_rfc3339("2026-11-25T10:00:00.999Z").value(), expected);
  EXPECT_EQ(normalize_rfc3339("2026-11-25T11:00:00+01:00").value(), expected);
  EXPECT_EQ(normalize_rfc3339("2026-11-25T10:00:00.000-00:00").value(), expected);
  auto bad = normalize_rfc3339("yesterday");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, "invalid_timestamp");
}

TEST(TimeFormatTest, ValidDates) {
  EXPECT_TRUE(is_valid_date("2026-11-25"));
  EXPECT_TRUE(is_valid_date("2028-02-29"));
  EXPECT_FALSE(is_valid_date("2026-02-29"));
  EXPECT_FALSE(is_valid_date("2026-11-31"));
  EXPECT_FALSE(is_valid_date("2026-11-25T00:00:00Z"));
  EXPECT_FALSE(is_valid_date("2026-11-5"));
  EXPECT_FALSE(is_valid_date("2026/11/25"));
  EXPECT_FALSE(is_valid_date(""));
}

}  // namespace
}  // namespace switchyard

namespace switchyard {
namespace {

// The digits are written by hand (issue #18): held to snprintf's output over a spread of
// instants, every field at its widest and narrowest, over the years system_clock can hold.
TEST(TimeFormatTest, HandWrittenDigitsMatchSnprintf) {
  using namespace std::chrono;
  const auto reference = [](system_clock::time_point t) {
    const auto ms = floor<milliseconds>(t);
    const auto secs = floor<seconds>(ms);
    const auto day = floor<days>(secs);
    const year_month_day date{day};
    const hh_mm_ss clock{secs - day};
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ", static_cast<int>(date.year()),
                  static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                  static_cast<int>(clock.hours().count()), static_cast<int>(clock.minutes().count()),
                  static_cast<int>(clock.seconds().count()), static_cast<int>((ms - secs).count()));
    return std::string(buf);
  };
  const auto first = sys_days{year{1678} / January / 1}.time_since_epoch();
  const auto last = (sys_days{year{2262} / January / 1} + hours{23} + minutes{59} + seconds{59}).time_since_epoch();
  const auto span = duration_cast<milliseconds>(last - first).count();
  std::vector<system_clock::time_point> instants{system_clock::time_point{duration_cast<system_clock::duration>(first)},
                                                 system_clock::time_point{duration_cast<system_clock::duration>(last) + milliseconds{999}},
                                                 system_clock::time_point{sys_days{year{2024} / February / 29}}};
  std::uint64_t step = 0x9E3779B97F4A7C15ull;
  for (int i = 0; i < 5000; ++i) {
    step = step * 6364136223846793005ull + 1442695040888963407ull;
    const auto offset = milliseconds{static_cast<std::int64_t>(step % static_cast<std::uint64_t>(span))};
    instants.push_back(system_clock::time_point{duration_cast<system_clock::duration>(first + offset)});
  }
  for (const auto t : instants) {
    const std::string expected = reference(t);
    ASSERT_EQ(format_rfc3339_utc(t), expected);
    ASSERT_EQ(format_rfc3339_utc_seconds(t), expected.substr(0, 19) + "Z");
  }
}

}  // namespace
}  // namespace switchyard
