// LagReporter (common/lag_reporter.h): the consumer's lag is read at most once per interval,
// since reading it may ask the group coordinator, and what it read reaches the lag gauge.
#include <gtest/gtest.h>
#include <prometheus/registry.h>

#include <chrono>
#include <string>

#include "common/lag_reporter.h"

namespace switchyard {
namespace {

using namespace std::chrono_literals;

double lag_gauge(Metrics& metrics, const std::string& partition) {
  for (const auto& family : metrics.registry().Collect()) {
    if (family.name != "switchyard_kafka_consumer_lag_messages") continue;
    for (const auto& m : family.metric) {
      for (const auto& label : m.label) {
        if (label.name == "partition" && label.value == partition) return m.gauge.value;
      }
    }
  }
  return -1;
}

TEST(LagReporterTest, ReadsOnTheFirstTickThenOncePerInterval) {
  Metrics metrics;
  int reads = 0;
  LagReporter reporter(metrics, [&] {
    ++reads;
    return LagReporter::Lag{{{"raw", 0}, 10 * reads}};
  }, 1000ms);
  const auto t0 = LagReporter::Clock::time_point{} + 1h;
  reporter.tick(t0);
  EXPECT_EQ(reads, 1);
  EXPECT_EQ(lag_gauge(metrics, "0"), 10);
  reporter.tick(t0 + 1ms);
  reporter.tick(t0 + 999ms);
  EXPECT_EQ(reads, 1);
  EXPECT_EQ(lag_gauge(metrics, "0"), 10);  // the last reading stands between reads
  reporter.tick(t0 + 1000ms);
  EXPECT_EQ(reads, 2);
  EXPECT_EQ(lag_gauge(metrics, "0"), 20);
  reporter.tick(t0 + 1500ms);
  EXPECT_EQ(reads, 2);
  reporter.tick(t0 + 2000ms);
  EXPECT_EQ(reads, 3);
}

TEST(LagReporterTest, AFirstTickAtTheClocksEpochStillReads) {
  Metrics metrics;
  int reads = 0;
  LagReporter reporter(metrics, [&] {
    ++reads;
    return LagReporter::Lag{};
  });
  reporter.tick(LagReporter::Clock::time_point{});
  EXPECT_EQ(reads, 1);
}

}  // namespace
}  // namespace switchyard
