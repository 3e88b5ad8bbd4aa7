// RateLimiter against a real redis-server: burst then deny, a limit shared by replicas on
// separate connections, and PSA-imposed pauses.
#include "common/rate_limiter.h"

#include <gtest/gtest.h>

#include <thread>

#include "support/eventually.h"
#include "support/redis_server.h"

namespace switchyard::testing {
namespace {

RateDecision must(const Result<RateDecision>& r) {
  if (!r) throw std::runtime_error(r.error().message);
  return *r;
}

class RateLimiterTest : public ::testing::Test {
 protected:
  RedisServer server;
  RedisClient redis_a{server.settings()};
  RedisClient redis_b{server.settings()};
  RateLimiter replica_a{redis_a};
  RateLimiter replica_b{redis_b};
};

TEST_F(RateLimiterTest, BurstIsAllowedThenDeniedWithARetryAfter) {
  const RateLimit limit{1.0, 3};
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(must(replica_a.acquire("tenant-1", limit)).allowed) << i;
  const auto denied = must(replica_a.acquire("tenant-1", limit));
  EXPECT_FALSE(denied.allowed);
  // One request's worth (1 s at 1/s) minus the few ms the calls took.
  EXPECT_GT(denied.retry_after, 500ms);
  EXPECT_LE(denied.retry_after, 1000ms);
  // Denied requests do not use up the limit.
  EXPECT_FALSE(must(replica_a.acquire("tenant-1", limit)).allowed);
}

TEST_F(RateLimiterTest, WaitingRetryAfterIsEnough) {
  const RateLimit limit{10.0, 1};
  ASSERT_TRUE(must(replica_a.acquire("tenant-1", limit)).allowed);
  const auto denied = must(replica_a.acquire("tenant-1", limit));
  ASSERT_FALSE(denied.allowed);
  EXPECT_LE(denied.retry_after, 100ms);
  std::this_thread::sleep_for(denied.retry_after);  // doing what a caller is told to do
  EXPECT_TRUE(must(replica_a.acquire("tenant-1", limit)).allowed);
}

TEST_F(RateLimiterTest, ReplicasOnSeparateConnectionsShareOneLimit) {
  const RateLimit limit{0.5, 4};
  int allowed = 0;
  for (int i = 0; i < 8; ++i) {
    RateLimiter& replica = i % 2 ? replica_b : replica_a;
    if (must(replica.acquire("tenant-shared", limit)).allowed) ++allowed;
  }
  EXPECT_EQ(allowed, 4);
}

TEST_F(RateLimiterTest, TenantsHaveSeparateLimits) {
  const RateLimit limit{0.5, 1};
  EXPECT_TRUE(must(replica_a.acquire("tenant-x", limit)).allowed);
  EXPECT_FALSE(must(replica_a.acquire("tenant-x", limit)).allowed);
  EXPECT_TRUE(must(replica_a.acquire("tenant-y", limit)).allowed);
}

TEST_F(RateLimiterTest, PauseFromOneReplicaStopsAllUntilItPasses) {
  const RateLimit generous{1000.0, 100};
  ASSERT_TRUE(replica_a.pause("tenant-429", 1500ms));
  const auto denied = must(replica_b.acquire("tenant-429", generous));
  EXPECT_FALSE(denied.allowed);
  EXPECT_GT(denied.retry_after, 1000ms);
  EXPECT_LE(denied.retry_after, 1500ms);
  EXPECT_TRUE(must(replica_b.acquire("other-tenant", generous)).allowed);

  ASSERT_TRUE(replica_b.pause("tenant-429", 10ms));  // a shorter pause does not cut it short
  EXPECT_GT(must(replica_a.acquire("tenant-429", generous)).retry_after, 1000ms);

  EXPECT_TRUE(eventually([&] { return must(replica_a.acquire("tenant-429", generous)).allowed; }, 3s, 50ms));
}

TEST_F(RateLimiterTest, SurvivesAFlushedScriptCache) {
  // One token in 10 s: the reload after the flush takes a few round trips, and on a slow machine
  // under the sanitizers those took longer than a faster rate's refill.
  const RateLimit limit{0.1, 2};
  ASSERT_TRUE(must(replica_a.acquire("tenant-1", limit)).allowed);
  ASSERT_TRUE(redis_b.command({"SCRIPT", "FLUSH"}));
  EXPECT_TRUE(must(replica_a.acquire("tenant-1", limit)).allowed);
  EXPECT_FALSE(must(replica_a.acquire("tenant-1", limit)).allowed);
}

TEST_F(RateLimiterTest, InvalidLimitsAndRedisOutagesAreErrors) {
  EXPECT_FALSE(replica_a.acquire("t", RateLimit{0.0, 1}));
  EXPECT_FALSE(replica_a.acquire("t", RateLimit{1.0, 0}));
  EXPECT_FALSE(replica_a.acquire("t", RateLimit{-1.0, 5}));
  server.stop();
  auto down = replica_a.acquire("t", RateLimit{1.0, 1});
  ASSERT_FALSE(down);
  EXPECT_EQ(down.error().code, "redis_unavailable");
}

TEST_F(RateLimiterTest, KeysExpireOnceIdle) {
  ASSERT_TRUE(must(replica_a.acquire("tenant-idle", RateLimit{5.0, 1})).allowed);
  auto ttl = redis_b.command({"PTTL", "sy:rl:{tenant-idle}:tat"});
  ASSERT_TRUE(ttl);
  EXPECT_GT(ttl->integer, 0);
  EXPECT_LE(ttl->integer, 200);
}

TEST_F(RateLimiterTest, AcquireAllTakesEveryBucketOrNone) {
  const std::vector<RateBucket> both{{"tenant-m", "", RateLimit{0.01, 3}}, {"tenant-m", "endpoint:a", RateLimit{0.01, 1}}};
  ASSERT_TRUE(must(replica_a.acquire_all(both)).allowed);
  const auto refused = must(replica_a.acquire_all(both));
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.denied_by, 1);  // the endpoint's bucket
  EXPECT_GT(refused.retry_after, 1000ms);
  // The refusal did not spend the tenant's bucket: two of its three are left.
  EXPECT_TRUE(must(replica_b.acquire("tenant-m", RateLimit{0.01, 3})).allowed);
  EXPECT_TRUE(must(replica_b.acquire("tenant-m", RateLimit{0.01, 3})).allowed);
  EXPECT_FALSE(must(replica_b.acquire("tenant-m", RateLimit{0.01, 3})).allowed);
}

TEST_F(RateLimiterTest, APausedBucketStopsOnlyTheRequestsThatSpendIt) {
  ASSERT_TRUE(replica_a.pause("tenant-p", "endpoint:a", 2000ms));
  const RateLimit generous{1000.0, 100};
  const auto refused = must(replica_b.acquire_all({{"tenant-p", "", generous}, {"tenant-p", "endpoint:a", generous}}));
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.denied_by, 1);
  EXPECT_GT(refused.retry_after, 1000ms);
  EXPECT_TRUE(must(replica_b.acquire_all({{"tenant-p", "", generous}, {"tenant-p", "endpoint:b", generous}})).allowed);
}

TEST_F(RateLimiterTest, AcquireAllRefusesBucketsOfSeveralScopes) {
  // One script spends one hash slot: buckets of two scopes are a caller's mistake.
  auto mixed = replica_a.acquire_all({{"a", "", RateLimit{1, 1}}, {"b", "", RateLimit{1, 1}}});
  ASSERT_FALSE(mixed);
  EXPECT_EQ(mixed.error().code, "invalid_rate_limit");
}

}  // namespace
}  // namespace switchyard::testing
