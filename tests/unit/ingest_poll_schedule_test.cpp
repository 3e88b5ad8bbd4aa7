// PollSchedule: which item a free poll worker gets, without Redis or a PSA.
#include <gtest/gtest.h>

#include <future>
#include <thread>

#include "ingest/poll_schedule.h"

namespace switchyard::ingest {
namespace {

using namespace std::chrono_literals;
using Clock = PollSchedule::Clock;

Tenant tenant(const std::string& id) {
  Tenant t;
  t.id = id;
  t.psa = "connectwise";
  return t;
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
  const Tenant a = tenant("a"), b = tenant("b");
  PollSchedule s(1);
  const auto now = Clock::now();
  const size_t a_backfill = s.add(a, "ticket", PollKind::Backfill, now - 10s);
  const size_t a_live = s.add(a, "ticket", PollKind::Live, now - 1s);
  const size_t b_live = s.add(b, "ticket", PollKind::Live, now - 5s);
  const size_t b_backfill = s.add(b, "ticket", PollKind::Backfill, now - 10s);

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
  const Tenant slow = tenant("slow"), fast = tenant("fast");
  PollSchedule s(0);
  const auto now = Clock::now();
  const size_t slow_ticket = s.add(slow, "ticket", PollKind::Live, now - 10s);
  s.add(slow, "company", PollKind::Live, now - 10s);
  const size_t fast_ticket = s.add(fast, "ticket", PollKind::Live, now);

  EXPECT_EQ(s.take(), slow_ticket);
  s.throttle_tenant("slow", Clock::now() + 1h);  // its PSA said 429, Retry-After an hour
  s.finish(slow_ticket, Clock::now());
  EXPECT_EQ(s.take(), fast_ticket) << "slow's items wait for the throttle; fast does not";
  EXPECT_EQ(take_within(s, 200ms), std::nullopt) << "slow's company must not be handed out while throttled";
}

TEST(PollScheduleTest, DueNowWhileInFlightMakesItDueAgainWhenItFinishes) {
  const Tenant a = tenant("a");
  PollSchedule s(0);
  const size_t live = s.add(a, "ticket", PollKind::Live, Clock::now());
  EXPECT_EQ(s.take(), live);
  s.due_now("a", "ticket", PollKind::Live);  // a sync request while it is polled
  s.finish(live, Clock::now() + 1h);
  EXPECT_EQ(take_within(s, 2000ms), live) << "the sync request was lost";
}

TEST(PollScheduleTest, DueNowBringsARestingItemForward) {
  const Tenant a = tenant("a");
  PollSchedule s(0);
  const size_t live = s.add(a, "ticket", PollKind::Live, Clock::now() + 1h);
  std::thread request([&s] {
    std::this_thread::sleep_for(50ms);
    s.due_now("a", "ticket", PollKind::Live);
  });
  EXPECT_EQ(take_within(s, 5000ms), live) << "a waiting worker was not woken by due_now";
  request.join();
}

}  // namespace
}  // namespace switchyard::ingest
