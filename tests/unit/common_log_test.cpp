// Structured log lines: exactly one line of valid JSON with ts, level, service, msg and the
// typed fields; strings are escaped so a hostile value cannot break the line or inject keys.
#include "common/log.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <cstdint>
#include <limits>
#include <string>

namespace switchyard::log {
namespace {

class LogTest : public ::testing::Test {
 protected:
  void SetUp() override { init("ingest", Level::Info); }
  void TearDown() override { init("switchyard", Level::Info); }

  // Parses `line` (which must be one JSON object followed by exactly one '\n').
  simdjson::dom::object parse_line(const std::string& line) {
    EXPECT_FALSE(line.empty());
    EXPECT_EQ(line.back(), '\n') << line;
    EXPECT_EQ(line.find('\n'), line.size() - 1) << "more than one line: " << line;
    EXPECT_EQ(line.find('\r'), std::string::npos) << line;
    simdjson::dom::element root;
    auto err = parser_.parse(line).get(root);
    EXPECT_EQ(err, simdjson::SUCCESS) << line;
    simdjson::dom::object obj;
    if (err == simdjson::SUCCESS) {
      EXPECT_EQ(root.get(obj), simdjson::SUCCESS) << line;
    }
    return obj;
  }

  simdjson::dom::parser parser_;
};

bool looks_like_utc_millis(std::string_view ts) {
  // YYYY-MM-DDTHH:MM:SS.mmmZ
  if (ts.size() != 24) return false;
  const std::string_view pattern = "dddd-dd-ddTdd:dd:dd.dddZ";
  for (size_t i = 0; i < ts.size(); ++i) {
    if (pattern[i] == 'd') {
      if (ts[i] < '0' || ts[i] > '9') return false;
    } else if (ts[i] != pattern[i]) {
      return false;
    }
  }
  return true;
}

TEST_F(LogTest, FormatLineIsOneJsonObjectWithStandardKeys) {
  const std::string line = format_line(Level::Warn, "webhook rejected", {});
  auto obj = parse_line(line);
  std::string_view ts, level, service, msg;
  ASSERT_EQ(obj["ts"].get(ts), simdjson::SUCCESS) << line;
  EXPECT_TRUE(looks_like_utc_millis(ts)) << ts;
  ASSERT_EQ(obj["level"].get(level), simdjson::SUCCESS);
  EXPECT_EQ(level, "warn");
  ASSERT_EQ(obj["service"].get(service), simdjson::SUCCESS);
  EXPECT_EQ(service, "ingest");
  ASSERT_EQ(obj["msg"].get(msg), simdjson::SUCCESS);
  EXPECT_EQ(msg, "webhook rejected");
}

TEST_F(LogTest, EveryLevelHasItsName) {
  const std::pair<Level, std::string_view> cases[] = {
      {Level::Debug, "debug"}, {Level::Info, "info"}, {Level::Warn, "warn"}, {Level::Error, "error"}};
  for (const auto& [level, name] : cases) {
    const std::string line = format_line(level, "m", {});
    auto obj = parse_line(line);
    std::string_view got;
    ASSERT_EQ(obj["level"].get(got), simdjson::SUCCESS) << line;
    EXPECT_EQ(got, name);
  }
}

TEST_F(LogTest, FieldsKeepTheirJsonTypes) {
  const std::string tenant = "acme";
  const std::string line = format_line(Level::Info, "written",
                                       {{"tenant", tenant},
                                        {"psa", "autotask"},
                                        {"status", 429},
                                        {"offset", int64_t{-9000000000}},
                                        {"latency_seconds", 0.25},
                                        {"retry", true},
                                        {"created", false},
                                        {"view", std::string_view("sv")}});
  auto obj = parse_line(line);
  std::string_view s;
  ASSERT_EQ(obj["tenant"].get(s), simdjson::SUCCESS) << line;
  EXPECT_EQ(s, "acme");
  ASSERT_EQ(obj["psa"].get(s), simdjson::SUCCESS);
  EXPECT_EQ(s, "autotask");
  ASSERT_EQ(obj["view"].get(s), simdjson::SUCCESS);
  EXPECT_EQ(s, "sv");
  int64_t n = 0;
  ASSERT_EQ(obj["status"].get(n), simdjson::SUCCESS) << "status must be a JSON integer: " << line;
  EXPECT_EQ(n, 429);
  ASSERT_EQ(obj["offset"].get(n), simdjson::SUCCESS);
  EXPECT_EQ(n, -9000000000);
  double d = 0;
  ASSERT_EQ(obj["latency_seconds"].get(d), simdjson::SUCCESS);
  EXPECT_DOUBLE_EQ(d, 0.25);
  bool b = false;
  ASSERT_EQ(obj["retry"].get(b), simdjson::SUCCESS) << "retry must be a JSON boolean: " << line;
  EXPECT_TRUE(b);
  ASSERT_EQ(obj["created"].get(b), simdjson::SUCCESS);
  EXPECT_FALSE(b);
}

TEST_F(LogTest, LargeUnsignedFieldIsNotWrappedNegative) {
  // A uint64_t (e.g. a byte count or a hash-derived number) above INT64_MAX must be logged as
  // the value it is, not reinterpreted as a negative int64.
  const uint64_t big = std::numeric_limits<uint64_t>::max();
  const std::string line = format_line(Level::Info, "m", {{"bytes", big}});
  auto obj = parse_line(line);
  simdjson::dom::element v;
  ASSERT_EQ(obj["bytes"].get(v), simdjson::SUCCESS) << line;
  uint64_t got = 0;
  ASSERT_EQ(v.get(got), simdjson::SUCCESS) << "bytes was logged as " << line;
  EXPECT_EQ(got, big) << line;
}

TEST_F(LogTest, InvalidUtf8FromRequestInputStaysValidJson) {
  // A tenant id decoded from /v1/webhooks/connectwise/%FF is one byte 0xFF.
  const std::string line = format_line(Level::Warn, "webhook rejected", {{"tenant", std::string("ac\xFFme")}});
  auto obj = parse_line(line);
  std::string_view tenant;
  ASSERT_EQ(obj["tenant"].get(tenant), simdjson::SUCCESS) << line;
  EXPECT_EQ(tenant, "ac\xEF\xBF\xBDme");
}

TEST_F(LogTest, StringsAreEscaped) {
  const std::string hostile = "say \"hi\"\nlevel\":\"error\r\t\\ \x01 end";
  const std::string line = format_line(Level::Info, hostile, {{"detail", hostile}, {"k\"ey\n", "v"}});
  auto obj = parse_line(line);
  std::string_view msg, detail, odd;
  ASSERT_EQ(obj["msg"].get(msg), simdjson::SUCCESS) << line;
  EXPECT_EQ(msg, hostile);
  ASSERT_EQ(obj["detail"].get(detail), simdjson::SUCCESS);
  EXPECT_EQ(detail, hostile);
  ASSERT_EQ(obj["k\"ey\n"].get(odd), simdjson::SUCCESS);
  EXPECT_EQ(odd, "v");
  // The injected "level" did not become a key of its own.
  std::string_view level;
  ASSERT_EQ(obj["level"].get(level), simdjson::SUCCESS);
  EXPECT_EQ(level, "info");
}

TEST_F(LogTest, UnicodeSurvives) {
  const std::string text = "M\xC3\xBCller \xE2\x80\x94 \xF0\x9F\x96\xA8";
  const std::string line = format_line(Level::Info, text, {});
  auto obj = parse_line(line);
  std::string_view msg;
  ASSERT_EQ(obj["msg"].get(msg), simdjson::SUCCESS);
  EXPECT_EQ(msg, text);
}

TEST_F(LogTest, ServiceNameComesFromInit) {
  init("dispatch", Level::Debug);
  auto obj = parse_line(format_line(Level::Info, "m", {}));
  std::string_view service;
  ASSERT_EQ(obj["service"].get(service), simdjson::SUCCESS);
  EXPECT_EQ(service, "dispatch");
}

TEST_F(LogTest, EnabledFollowsMinimumLevel) {
  init("ingest", Level::Warn);
  EXPECT_FALSE(enabled(Level::Debug));
  EXPECT_FALSE(enabled(Level::Info));
  EXPECT_TRUE(enabled(Level::Warn));
  EXPECT_TRUE(enabled(Level::Error));
  init("ingest", Level::Debug);
  EXPECT_TRUE(enabled(Level::Debug));
}

TEST(LogParseLevelTest, KnownNames) {
  auto d = parse_level("debug");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(*d, Level::Debug);
  auto i = parse_level("info");
  ASSERT_TRUE(i.ok());
  EXPECT_EQ(*i, Level::Info);
  auto w = parse_level("warn");
  ASSERT_TRUE(w.ok());
  EXPECT_EQ(*w, Level::Warn);
  auto e = parse_level("error");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(*e, Level::Error);
}

TEST(LogParseLevelTest, UnknownNamesAreErrors) {
  for (std::string_view bad : {"", "verbose", "trace", "fatal", "info ", "2"}) {
    auto r = parse_level(bad);
    EXPECT_FALSE(r.ok()) << "\"" << bad << "\"";
    if (!r.ok()) {
      EXPECT_FALSE(r.error().message.empty());
    }
  }
}

}  // namespace
}  // namespace switchyard::log
