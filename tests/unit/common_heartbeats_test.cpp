// Heartbeats: the registry /healthz reads. A loop whose beat is older than the timeout is
// stale (named, with its age); a fresh beat is healthy; a loop that ended is no longer watched.
// Ages are computed against an explicit `now`, so nothing here depends on the machine's speed.
#include "common/heartbeats.h"

#include <gtest/gtest.h>

#include <simdjson.h>

#include <thread>
#include <vector>

namespace switchyard {
namespace {

using namespace std::chrono_literals;
using Clock = Heartbeats::Clock;

TEST(HeartbeatsTest, FreshBeatsAreHealthy) {
  Heartbeats hb(10s);
  Heartbeat consumer = hb.add("consumer");
  Heartbeat worker = hb.add("worker", "worker-0");
  const auto r = hb.check(Clock::now() + 9s);
  EXPECT_TRUE(r.healthy);
  EXPECT_EQ(r.loops, 2u);
  EXPECT_TRUE(r.stale.empty());
}

TEST(HeartbeatsTest, AStaleBeatMakesItUnhealthyNamingTheLoop) {
  Heartbeats hb(10s);
  Heartbeat worker = hb.add("worker", "worker-3");
  EXPECT_TRUE(hb.check(Clock::now() + 5s).healthy);
  const auto r = hb.check(Clock::now() + 30s);
  EXPECT_FALSE(r.healthy);
  EXPECT_EQ(r.loops, 1u);
  ASSERT_EQ(r.stale.size(), 1u);
  EXPECT_EQ(r.stale[0].name, "worker-3");
  EXPECT_EQ(r.stale[0].group, "worker");
  EXPECT_NEAR(r.stale[0].age_seconds, 30.0, 1.0);
}

TEST(HeartbeatsTest, OnlyTheLoopThatStoppedBeatingIsStale) {
  Heartbeats hb(200ms);
  Heartbeat consumer = hb.add("consumer");
  Heartbeat stuck = hb.add("worker", "worker-7");
  // Real time: the consumer beats for 600 ms, worker-7 never does.
  const auto until = Clock::now() + 600ms;
  while (Clock::now() < until) {
    consumer.beat();
    std::this_thread::sleep_for(10ms);
  }
  consumer.beat();
  const auto r = hb.check();
  EXPECT_FALSE(r.healthy);
  ASSERT_EQ(r.stale.size(), 1u);
  EXPECT_EQ(r.stale[0].name, "worker-7");
  EXPECT_EQ(r.stale[0].group, "worker");
  EXPECT_GE(r.stale[0].age_seconds, 0.5);
  EXPECT_TRUE(r.stale[0].stale);

  stuck.beat();
  EXPECT_TRUE(hb.check().healthy);
}

TEST(HeartbeatsTest, StaleLoopsAreListedOldestFirst) {
  Heartbeats hb(1s);
  Heartbeat a = hb.add("worker", "worker-a");
  std::this_thread::sleep_for(20ms);
  Heartbeat b = hb.add("worker", "worker-b");
  const auto r = hb.check(Clock::now() + 5s);
  ASSERT_EQ(r.stale.size(), 2u);
  EXPECT_EQ(r.stale[0].name, "worker-a");
  EXPECT_EQ(r.stale[1].name, "worker-b");
  EXPECT_GT(r.stale[0].age_seconds, r.stale[1].age_seconds);
}

TEST(HeartbeatsTest, ALoopThatEndedIsNoLongerWatched) {
  Heartbeats hb(1s);
  Heartbeat kept = hb.add("consumer");
  {
    Heartbeat ended = hb.add("worker", "worker-1");
    EXPECT_EQ(hb.check().loops, 2u);
  }
  EXPECT_EQ(hb.check().loops, 1u);
  Heartbeat moved = hb.add("poll-worker", "poll-worker-0");
  Heartbeat target = std::move(moved);
  EXPECT_FALSE(static_cast<bool>(moved));
  EXPECT_EQ(hb.check().loops, 2u);
  target = Heartbeat{};  // assigning over a handle retires the loop it watched
  EXPECT_EQ(hb.check().loops, 1u);
  EXPECT_EQ(hb.check(Clock::now() + 10s).stale.size(), 1u);
}

TEST(HeartbeatsTest, ADetachedHandleDoesNothing) {
  Heartbeat detached;
  detached.beat();
  EXPECT_FALSE(static_cast<bool>(detached));
  EXPECT_EQ(detached.interval(), 1000ms);
}

TEST(HeartbeatsTest, IntervalIsAQuarterOfTheTimeoutWithinBounds) {
  EXPECT_EQ(Heartbeats(120s).interval(), 1000ms);
  EXPECT_EQ(Heartbeats(2s).interval(), 500ms);
  EXPECT_EQ(Heartbeats(20ms).interval(), 10ms);
  Heartbeats hb(2s);
  EXPECT_EQ(hb.add("x").interval(), 500ms);
}

TEST(HeartbeatsTest, BeatsFromManyThreadsWhileChecking) {
  Heartbeats hb(5s);
  std::atomic<bool> stop{false};
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&, i] {
      Heartbeat beat = hb.add("worker", "worker-" + std::to_string(i));
      while (!stop.load()) beat.beat();
    });
  }
  for (int i = 0; i < 200; ++i) EXPECT_TRUE(hb.check().healthy);
  stop = true;
  for (auto& t : threads) t.join();
  EXPECT_EQ(hb.check().loops, 0u);
}

TEST(HeartbeatsTest, ReportJsonNamesStaleLoopsAndTheirAge) {
  Heartbeats hb(10s);
  Heartbeat a = hb.add("worker", "worker-2");
  const std::string healthy = heartbeat_report_json(hb.check(), hb.timeout());
  EXPECT_EQ(healthy, R"({"status":"ok","loops":1})");

  const std::string body = heartbeat_report_json(hb.check(Clock::now() + 42s), hb.timeout());
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  ASSERT_EQ(parser.parse(body).get(doc), simdjson::SUCCESS) << body;
  EXPECT_EQ(std::string_view(doc["status"].get_string().value()), "stale");
  EXPECT_EQ(doc["timeout_seconds"].get_double().value(), 10.0);
  EXPECT_EQ(doc["stale_loops"].get_int64().value(), 1);
  auto stale = doc["stale"].get_array().value();
  ASSERT_EQ(stale.size(), 1u);
  EXPECT_EQ(std::string_view(stale.at(0)["loop"].get_string().value()), "worker-2");
  EXPECT_NEAR(stale.at(0)["age_seconds"].get_double().value(), 42.0, 1.0);
}

TEST(HeartbeatsTest, ReportJsonListsAtMostTwentyLoops) {
  Heartbeats hb(1s);
  std::vector<Heartbeat> beats;
  for (int i = 0; i < 50; ++i) beats.push_back(hb.add("worker", "worker-" + std::to_string(i)));
  const std::string body = heartbeat_report_json(hb.check(Clock::now() + 5s), hb.timeout());
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  ASSERT_EQ(parser.parse(body).get(doc), simdjson::SUCCESS);
  EXPECT_EQ(doc["stale_loops"].get_int64().value(), 50);
  EXPECT_EQ(doc["stale"].get_array().value().size(), 20u);
}

}  // namespace
}  // namespace switchyard
