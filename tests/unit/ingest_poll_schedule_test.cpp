// PollSchedule: which item a free poll worker gets, without Redis or a PSA.
#include <gtest/gtest.h>

#include <future>
#include <thread>

#include "ingest/poll_schedule.h"

namespace switchyard::ingest {
namespace {

using namespace std::chrono_literals;
using Clock = PollSchedule::Clock;

size_t add(PollSchedule& s, const std::string& tenant, const std::string& entity, PollKind kind, Clock::time_point due) {
  return s.add(PollSchedule::Item{tenant, entity, kind}, due).first;
}

// take() with a deadline: nullopt when nothing was handed out within `wait`.
std::optional<size_t> take_within(PollSchedule& s, std::chrono::milliseconds wait) {
  auto f = std::async(std::launch::async, [&s] { return s.take(); });
  if (f.wait_for(wait) == std::future_status::ready) return f.get();
  s.stop();
  (void)f.get();
  return std::nullopt;
}

TEST(PollScheduleTest, MostOverdueLiveItemFirstAndBackfillsOnlyInTheirSlots) {
  PollSchedule s(1);
  const auto now = Clock::now();
  const size_t a_backfill = add(s, "a", "ticket", PollKind::Backfill, now - 10s);
  const size_t a_live = add(s, "a", "ticket", PollKind::Live, now - 1s);
  const size_t b_live = add(s, "b", "ticket", PollKind::Live, now - 5s);
  const size_t b_backfill = add(s, "b", "ticket", PollKind::Backfill, now - 10s);

  EXPECT_EQ(s.take(), b_live) << "live before backfill, most overdue first";
  EXPECT_EQ(s.take(), a_live);
  const auto first_backfill = s.take();
  ASSERT_TRUE(first_backfill == a_backfill || first_backfill == b_backfill);
  // One backfill slot, taken: the other backfill waits although it is due.
  const auto stats = s.stats();
  EXPECT_EQ(stats.in_flight[0], 2u);
  EXPECT_EQ(stats.in_flight[1], 1u);
  EXPECT_EQ(stats.due[1], 1u);
  EXPECT_GE(stats.oldest_due_seconds[1], 9.0);
  EXPECT_EQ(stats.unfinished_backfills, 2u);
  s.finish(*first_backfill, Clock::now(), /*finished=*/true);
  const auto second_backfill = s.take();
  EXPECT_TRUE(second_backfill == a_backfill || second_backfill == b_backfill);
  EXPECT_NE(second_backfill, first_backfill);
  EXPECT_EQ(s.stats().unfinished_backfills, 1u);
}

TEST(PollScheduleTest, AThrottledTenantIsNotHandedOutButOthersAre) {
  PollSchedule s(0);
  const auto now = Clock::now();
  const size_t slow_ticket = add(s, "slow", "ticket", PollKind::Live, now - 10s);
  add(s, "slow", "company", PollKind::Live, now - 10s);
  const size_t fast_ticket = add(s, "fast", "ticket", PollKind::Live, now);

  EXPECT_EQ(s.take(), slow_ticket);
  s.throttle_tenant("slow", Clock::now() + 1h);  // its PSA said 429, Retry-After an hour
  s.finish(slow_ticket, Clock::now());
  EXPECT_EQ(s.take(), fast_ticket) << "slow's items wait for the throttle; fast does not";
  EXPECT_EQ(take_within(s, 200ms), std::nullopt) << "slow's company must not be handed out while throttled";
}

TEST(PollScheduleTest, DueNowWhileInFlightMakesItDueAgainWhenItFinishes) {
  PollSchedule s(0);
  const size_t live = add(s, "a", "ticket", PollKind::Live, Clock::now());
  EXPECT_EQ(s.take(), live);
  s.due_now("a", "ticket", PollKind::Live);  // a sync request while it is polled
  s.finish(live, Clock::now() + 1h);
  EXPECT_EQ(take_within(s, 2000ms), live) << "the sync request was lost";
}

TEST(PollScheduleTest, DueNowBringsARestingItemForward) {
  PollSchedule s(0);
  const size_t live = add(s, "a", "ticket", PollKind::Live, Clock::now() + 1h);
  std::thread request([&s] {
    std::this_thread::sleep_for(50ms);
    s.due_now("a", "ticket", PollKind::Live);
  });
  EXPECT_EQ(take_within(s, 5000ms), live) << "a waiting worker was not woken by due_now";
  request.join();
}

TEST(PollScheduleTest, RetiredItemsAreNotHandedOutAndComeBackAtTheSameIndex) {
  PollSchedule s(1);
  const auto now = Clock::now();
  const size_t keep = add(s, "a", "ticket", PollKind::Live, now + 1h);
  const size_t dropped = add(s, "b", "ticket", PollKind::Live, now - 1s);
  const size_t running = add(s, "b", "company", PollKind::Live, now - 2s);
  EXPECT_EQ(s.take(), running);

  // A reload removes tenant b: only a/ticket is wanted.
  EXPECT_EQ(s.retain({PollSchedule::Item{"a", "ticket", PollKind::Live}}), 2u);
  EXPECT_EQ(s.size(), 1u);
  EXPECT_EQ(s.stats().due[0], 0u) << "b/ticket was due; retired, it must not wait for a worker";

  s.finish(running, Clock::now());  // the turn that was running when b went away
  const auto back = s.add(PollSchedule::Item{"b", "ticket", PollKind::Live}, Clock::now());
  EXPECT_EQ(back.first, dropped);
  EXPECT_TRUE(back.second);
  EXPECT_FALSE(s.add(PollSchedule::Item{"a", "ticket", PollKind::Live}, Clock::now()).second)
      << "an item still scheduled keeps its due time";
  EXPECT_EQ(s.take(), dropped);
  EXPECT_EQ(take_within(s, 200ms), std::nullopt) << "b/company was finished while retired and must stay retired";
  (void)keep;
}

}  // namespace
}  // namespace switchyard::ingest
