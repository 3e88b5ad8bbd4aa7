// CommandWindow: per-key order, tenants round-robin within their concurrency, parking,
// offsets stored only up to the lowest unfinished command, the sweep to the retry route and
// a revoke that drops what waits.
#include <gtest/gtest.h>

#include <thread>

#include "dispatch/command_window.h"
#include "dispatch/dispatch_options.h"

namespace switchyard::dispatch {
namespace {

using namespace std::chrono_literals;

WindowEntry entry(const std::string& tenant, const std::string& key, int64_t offset, int32_t partition = 0,
                  const std::string& topic = "commands") {
  WindowEntry e;
  e.message.topic = topic;
  e.message.partition = partition;
  e.message.offset = offset;
  e.message.key = tenant + "/" + key;
  e.tenant = tenant;
  e.origin = topic + ":" + std::to_string(partition) + ":" + std::to_string(offset);
  return e;
}

class CommandWindowTest : public ::testing::Test {
 protected:
  WindowEntry* take() { return window_.take(stop_); }
  std::atomic<bool> stop_{false};
  CommandWindow window_{CommandWindow::Limits{3}};
};

TEST_F(CommandWindowTest, SameKeyRunsInOrderOneAtATimeWhileOtherKeysRun) {
  window_.admit(entry("t1", "a", 0), 10);
  window_.admit(entry("t1", "a", 1), 10);
  window_.admit(entry("t1", "b", 2), 10);
  WindowEntry* first = take();
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(first->message.offset, 0);
  WindowEntry* second = take();  // a's second command must wait for the first: b runs
  ASSERT_NE(second, nullptr);
  EXPECT_EQ(second->message.offset, 2);
  EXPECT_EQ(window_.in_flight(), 2u);
  window_.finish(first);
  WindowEntry* third = take();
  ASSERT_NE(third, nullptr);
  EXPECT_EQ(third->message.offset, 1);
}

TEST_F(CommandWindowTest, TenantsAreServedRoundRobinWithinTheirConcurrency) {
  for (int i = 0; i < 5; ++i) window_.admit(entry("busy", "k" + std::to_string(i), i), 2);
  window_.admit(entry("quiet", "x", 5), 2);
  std::vector<std::string> order;
  for (int i = 0; i < 3; ++i) order.push_back(take()->tenant);
  // busy may run two at once; quiet is not queued behind busy's backlog.
  EXPECT_EQ(std::count(order.begin(), order.end(), "busy"), 2);
  EXPECT_EQ(std::count(order.begin(), order.end(), "quiet"), 1);
  auto stats = window_.stats(SteadyClock::now());
  auto busy = std::find_if(stats.begin(), stats.end(), [](const auto& s) { return s.tenant == "busy"; });
  ASSERT_NE(busy, stats.end());
  EXPECT_EQ(busy->in_flight, 2u);  // at its concurrency: the other three wait
  EXPECT_EQ(busy->waiting, 3u);
}

TEST_F(CommandWindowTest, AParkedTenantWaitsAndOthersRun) {
  window_.admit(entry("slow", "a", 0), 4);
  window_.admit(entry("slow", "b", 1), 4);
  WindowEntry* e = take();
  ASSERT_EQ(e->tenant, "slow");
  window_.park(e, SteadyClock::now() + 300ms, "psa_throttled");
  window_.admit(entry("fast", "c", 2), 4);
  WindowEntry* next = take();
  ASSERT_NE(next, nullptr);
  EXPECT_EQ(next->tenant, "fast");  // slow's other lane waits too: the whole tenant is parked
  auto stats = window_.stats(SteadyClock::now());
  auto slow = std::find_if(stats.begin(), stats.end(), [](const auto& s) { return s.tenant == "slow"; });
  ASSERT_NE(slow, stats.end());
  EXPECT_TRUE(slow->parked);
  EXPECT_EQ(slow->park_reason, "psa_throttled");
  const auto before = SteadyClock::now();
  WindowEntry* again = take();  // after the park, the parked command comes first
  EXPECT_GE(SteadyClock::now() - before, 250ms);
  ASSERT_NE(again, nullptr);
  EXPECT_EQ(again->message.offset, 0);
}

// Three commands of a tenant run at once; the PSA answers 429 to one, and the limiter, which
// learned its Retry-After, refuses the next a few milliseconds later: the tenant is still parked
// because its PSA throttles it. A longer failure of its own counts, a shorter one does not.
TEST_F(CommandWindowTest, TheParkReasonIsTheOneThatSetsTheDeadline) {
  for (int i = 0; i < 4; ++i) window_.admit(entry("slow", "k" + std::to_string(i), i), 4);
  std::vector<WindowEntry*> running;
  for (int i = 0; i < 4; ++i) running.push_back(take());
  const auto reason = [&] {
    for (const auto& s : window_.stats(SteadyClock::now())) {
      if (s.tenant == "slow") return s.parked ? s.park_reason : std::string("not parked");
    }
    return std::string("no stats");
  };
  const auto now = SteadyClock::now();
  window_.park(running[0], now + 30s, "psa_throttled");
  EXPECT_EQ(reason(), "psa_throttled");
  window_.park(running[1], now + 30s + 5ms, "rate_limit");  // the limiter's echo, a little later
  EXPECT_EQ(reason(), "psa_throttled");
  window_.park(running[2], now + 2s, "psa_failing");  // ends before the throttling does
  EXPECT_EQ(reason(), "psa_throttled");
  window_.park(running[3], now + 60s, "psa_failing");
  EXPECT_EQ(reason(), "psa_failing");
}

TEST_F(CommandWindowTest, APauseByTheOperatorAlwaysShows) {
  window_.admit(entry("t", "a", 0), 4);
  window_.admit(entry("t", "b", 1), 4);
  WindowEntry* first = take();
  WindowEntry* second = take();
  window_.park(first, SteadyClock::now() + 30s, "psa_throttled");
  window_.park(second, SteadyClock::now() + 5s, std::string(kTenantPaused));
  auto stats = window_.stats(SteadyClock::now());
  ASSERT_EQ(stats.size(), 1u);
  EXPECT_EQ(stats[0].park_reason, kTenantPaused);
}

TEST_F(CommandWindowTest, OffsetsAdvanceOnlyToTheLowestUnfinished) {
  for (int i = 0; i < 4; ++i) window_.admit(entry("t", "k" + std::to_string(i), 10 + i), 10);
  std::vector<WindowEntry*> running;
  for (int i = 0; i < 4; ++i) running.push_back(take());
  window_.finish(running[1]);
  window_.finish(running[3]);
  EXPECT_TRUE(window_.advanced_offsets().empty());  // 10 is still running
  window_.finish(running[0]);
  auto stored = window_.advanced_offsets();
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored[0].second, 11);  // 10 and 11 done; 12 still running
  window_.finish(running[2]);
  stored = window_.advanced_offsets();
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored[0].second, 13);
}

TEST_F(CommandWindowTest, SweepMovesAParkedTenantsWaitingCommandsPastItsCapacity) {
  for (int i = 0; i < 6; ++i) window_.admit(entry("slow", "k" + std::to_string(i % 2), i), 4);
  window_.admit(entry("fast", "z", 6), 4);
  WindowEntry* head = take();
  ASSERT_EQ(head->tenant, "slow");
  window_.park(head, SteadyClock::now() + 10s, "psa_throttled");
  auto sweep = window_.sweep(SteadyClock::now(), 5min, false, 0);
  // 6 waiting > capacity 3: every waiting command of the tenant moves, none of fast's.
  ASSERT_EQ(sweep.divert.size(), 6u);
  for (auto* e : sweep.divert) EXPECT_EQ(e->tenant, "slow");
  EXPECT_TRUE(sweep.expire.empty());
  for (auto* e : sweep.divert) window_.finish(e);
  EXPECT_EQ(window_.waiting("slow"), 0u);
  EXPECT_EQ(window_.held(), 1u);  // fast's command
}

TEST_F(CommandWindowTest, SweepExpiresCommandsParkedTooLong) {
  window_.admit(entry("slow", "a", 0), 4);
  WindowEntry* head = take();
  head->parked_since_ms = 1000;  // long ago
  window_.park(head, SteadyClock::now() + 10s, "psa_failing");
  auto sweep = window_.sweep(SteadyClock::now(), 5min, false, /*expire_before_ms=*/2000);
  ASSERT_EQ(sweep.expire.size(), 1u);
  EXPECT_EQ(sweep.expire[0], head);
}

TEST_F(CommandWindowTest, RestoredCommandsKeepTheirOrder) {
  for (int i = 0; i < 3; ++i) window_.admit(entry("slow", "a", i), 4);
  WindowEntry* head = take();
  window_.park(head, SteadyClock::now() + 20ms, "rate_limit");
  auto sweep = window_.sweep(SteadyClock::now(), 0ms, false, 0);
  ASSERT_EQ(sweep.divert.size(), 3u);
  window_.restore(sweep.divert);  // the move failed
  std::vector<int64_t> order;
  for (int i = 0; i < 3; ++i) {
    WindowEntry* e = take();
    order.push_back(e->message.offset);
    window_.finish(e);
  }
  EXPECT_EQ(order, (std::vector<int64_t>{0, 1, 2}));
}

// A parked tenant whose commands were all moved away leaves stale lane keys behind; commands
// that come back (from the retry topic) must still run once the park is over.
TEST_F(CommandWindowTest, CommandsComingBackAfterAMoveRunOnceTheParkIsOver) {
  for (int i = 0; i < 3; ++i) window_.admit(entry("slow", "k" + std::to_string(i), i), 4);
  WindowEntry* head = take();
  window_.park(head, SteadyClock::now() + 100ms, "psa_throttled");
  auto sweep = window_.sweep(SteadyClock::now(), 0ms, false, 0);
  ASSERT_EQ(sweep.divert.size(), 3u);
  for (auto* e : sweep.divert) window_.finish(e);
  // Back from the retry topic while the tenant is still parked.
  WindowEntry* back = window_.hold(entry("slow", "k1", 0, 0, "retry"));
  window_.enqueue(back, 4);
  std::atomic<bool> served{false};
  std::thread deadline([&] {  // a lost tenant would wait for ever: give up after 3 s
    for (int i = 0; i < 300 && !served; ++i) std::this_thread::sleep_for(10ms);
    stop_ = true;
    window_.wake_all();
  });
  WindowEntry* next = take();  // after the park
  served = true;
  deadline.join();
  ASSERT_NE(next, nullptr) << "the tenant was never served again";
  EXPECT_EQ(next, back);
}

TEST_F(CommandWindowTest, RevokeDropsWaitingCommandsAndWaitsForRunningOnes) {
  window_.admit(entry("t", "a", 0, 0), 10);
  window_.admit(entry("t", "a", 1, 0), 10);
  window_.admit(entry("t", "b", 0, 1), 10);
  WindowEntry* running = take();
  ASSERT_EQ(running->message.partition, 0);
  std::thread finisher([&] {
    std::this_thread::sleep_for(100ms);
    window_.finish(running);
  });
  const auto offsets = window_.revoke({{"commands", 0}}, 5s);
  finisher.join();
  ASSERT_EQ(offsets.size(), 1u);
  EXPECT_EQ(offsets[0].second, 0);  // offset 0 done; offset 1 dropped for the next owner
  WindowEntry* other = take();      // partition 1 is untouched
  ASSERT_NE(other, nullptr);
  EXPECT_EQ(other->message.partition, 1);
  window_.finish(other);
  EXPECT_EQ(window_.held(), 0u);
}

}  // namespace
}  // namespace switchyard::dispatch
