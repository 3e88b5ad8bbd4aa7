// Env: configuration from environment variables (here a map). Every accessor validates and
// throws ConfigError naming the variable.
#include "common/env.h"
#include "support/env_map.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <string>

namespace switchyard {
namespace {

using testing::env_of;

// Runs `f`, expecting a ConfigError whose message names `variable`; returns the message.
template <typename F>
std::string config_error_of(F&& f, const std::string& variable) {
  try {
    f();
  } catch (const ConfigError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find(variable), std::string::npos) << "message does not name " << variable << ": " << message;
    return message;
  } catch (const std::exception& e) {
    ADD_FAILURE() << "expected ConfigError, got another exception: " << e.what();
    return {};
  }
  ADD_FAILURE() << "expected ConfigError naming " << variable << ", nothing was thrown";
  return {};
}

TEST(EnvTest, RequiredPresentAndMissing) {
  const Env env = env_of({{"SWITCHYARD_KAFKA_BROKERS", "localhost:9092"}, {"EMPTY", ""}});
  EXPECT_EQ(env.required("SWITCHYARD_KAFKA_BROKERS"), "localhost:9092");
  config_error_of([&] { (void)env.required("SWITCHYARD_REDIS_URL"); }, "SWITCHYARD_REDIS_URL");
  // VAR= counts as unset.
  config_error_of([&] { (void)env.required("EMPTY"); }, "EMPTY");
}

TEST(EnvTest, StringFallback) {
  const Env env = env_of({{"A", "x"}, {"EMPTY", ""}});
  EXPECT_EQ(env.string("A", "fb"), "x");
  EXPECT_EQ(env.string("B", "fb"), "fb");
  EXPECT_EQ(env.string("EMPTY", "fb"), "fb");
}

TEST(EnvTest, IntegerValidValuesAndFallback) {
  const Env env = env_of({{"N", "42"}, {"NEG", "-3"}, {"MIN", "1"}, {"MAX", "100"}});
  EXPECT_EQ(env.integer("N", 7, 0, 100), 42);
  EXPECT_EQ(env.integer("NEG", 7, -10, 10), -3);
  EXPECT_EQ(env.integer("MIN", 7, 1, 100), 1);    // bounds are inclusive
  EXPECT_EQ(env.integer("MAX", 7, 1, 100), 100);
  EXPECT_EQ(env.integer("UNSET", 7, 0, 100), 7);
}

TEST(EnvTest, IntegerFormatErrorsNameTheVariable) {
  const Env env = env_of({{"W1", "abc"}, {"W2", "12x"}, {"W3", "1.5"}, {"W4", " 5"}, {"W5", "99999999999999999999"}});
  for (const std::string name : {"W1", "W2", "W3", "W4", "W5"}) {
    config_error_of([&] { (void)env.integer(name, 0, 0, 1000); }, name);
  }
}

TEST(EnvTest, IntegerRangeErrorsNameTheVariable) {
  const Env env = env_of({{"WORKERS", "0"}, {"PORT", "70000"}});
  config_error_of([&] { (void)env.integer("WORKERS", 4, 1, 64); }, "WORKERS");
  config_error_of([&] { (void)env.integer("PORT", 80, 0, 65535); }, "PORT");
}

TEST(EnvTest, NumberValidAndInvalid) {
  const Env env = env_of({{"R", "2.5"}, {"BAD", "fast"}, {"HIGH", "1e9"}});
  EXPECT_DOUBLE_EQ(env.number("R", 1, 0, 10), 2.5);
  EXPECT_DOUBLE_EQ(env.number("UNSET", 1.5, 0, 10), 1.5);
  config_error_of([&] { (void)env.number("BAD", 1, 0, 10); }, "BAD");
  config_error_of([&] { (void)env.number("HIGH", 1, 0, 10); }, "HIGH");
}

TEST(EnvTest, NumberRejectsNanAndInfinity) {
  // "nan" compares false against both bounds, so a plain `< min || > max` check lets it through.
  const Env env = env_of({{"RATE", "nan"}, {"RATE2", "inf"}});
  config_error_of([&] { (void)env.number("RATE", 1, 0, 1e300); }, "RATE");
  config_error_of([&] { (void)env.number("RATE2", 1, 0, 1e300); }, "RATE2");
}

TEST(EnvTest, Boolean) {
  const Env env = env_of({{"T1", "true"}, {"T2", "1"}, {"T3", "yes"}, {"F1", "false"}, {"F2", "0"}, {"F3", "no"},
                          {"BAD", "maybe"}, {"BAD2", "2"}});
  EXPECT_TRUE(env.boolean("T1", false));
  EXPECT_TRUE(env.boolean("T2", false));
  EXPECT_TRUE(env.boolean("T3", false));
  EXPECT_FALSE(env.boolean("F1", true));
  EXPECT_FALSE(env.boolean("F2", true));
  EXPECT_FALSE(env.boolean("F3", true));
  EXPECT_TRUE(env.boolean("UNSET", true));
  EXPECT_FALSE(env.boolean("UNSET", false));
  config_error_of([&] { (void)env.boolean("BAD", false); }, "BAD");
  config_error_of([&] { (void)env.boolean("BAD2", false); }, "BAD2");
}

TEST(EnvTest, ListenAddressParses) {
  const Env env = env_of({{"L1", "0.0.0.0:8080"}, {"L2", "127.0.0.1:0"}, {"L3", "localhost:65535"}});
  EXPECT_EQ(env.listen_address("L1", "x:1"), (std::pair<std::string, uint16_t>{"0.0.0.0", 8080}));
  EXPECT_EQ(env.listen_address("L2", "x:1"), (std::pair<std::string, uint16_t>{"127.0.0.1", 0}));
  EXPECT_EQ(env.listen_address("L3", "x:1"), (std::pair<std::string, uint16_t>{"localhost", 65535}));
  EXPECT_EQ(env.listen_address("UNSET", "127.0.0.1:9100"), (std::pair<std::string, uint16_t>{"127.0.0.1", 9100}));
}

TEST(EnvTest, ListenAddressErrorsNameTheVariable) {
  const Env env = env_of({{"NOPORT", "localhost"},
                          {"EMPTYPORT", "localhost:"},
                          {"BIGPORT", "localhost:65536"},
                          {"TEXTPORT", "localhost:http"},
                          {"NEGPORT", "localhost:-1"},
                          {"NOHOST", ":8080"}});
  for (const std::string name : {"NOPORT", "EMPTYPORT", "BIGPORT", "TEXTPORT", "NEGPORT", "NOHOST"}) {
    config_error_of([&] { (void)env.listen_address(name, "127.0.0.1:1"); }, name);
  }
  // A bad fallback is reported under the variable's name too.
  config_error_of([&] { (void)env.listen_address("UNSET_LISTEN", "no-port"); }, "UNSET_LISTEN");
}

TEST(EnvTest, ListenAddressIpv6LiteralHostHasNoBrackets) {
  // "[::1]:9000" is the standard host:port form for IPv6; the host handed to the resolver
  // must be "::1" (getaddrinfo does not accept the bracketed form).
  const Env env = env_of({{"L6", "[::1]:9000"}});
  const auto [host, port] = env.listen_address("L6", "x:1");
  EXPECT_EQ(port, 9000);
  EXPECT_EQ(host, "::1");
}

}  // namespace
}  // namespace switchyard
