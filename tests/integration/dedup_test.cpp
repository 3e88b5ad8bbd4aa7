// Deduplicator against a real redis-server: the claim / done / release life cycle, TTL expiry
// of abandoned claims, token-checked release, and one round trip per batch.
#include <gtest/gtest.h>

#include <map>

#include "common/dedup.h"
#include "common/resp_encode.h"
#include "support/eventually.h"
#include "support/redis_server.h"

namespace switchyard::testing {
namespace {

// "name:value" lines of an INFO section as a map.
std::map<std::string, std::string> info(RedisClient& redis, const std::string& section) {
  std::map<std::string, std::string> out;
  auto reply = redis.command({"INFO", section});
  if (!reply) return out;
  size_t start = 0;
  const std::string& text = reply->str;
  while (start < text.size()) {
    size_t end = text.find("\r\n", start);
    if (end == std::string::npos) end = text.size();
    const std::string line = text.substr(start, end - start);
    if (const auto colon = line.find(':'); colon != std::string::npos && line[0] != '#') {
      out[line.substr(0, colon)] = line.substr(colon + 1);
    }
    start = end + 2;
  }
  return out;
}

// cmdstat lines look like "calls=100,usec=...": the calls count.
int64_t calls_of(const std::map<std::string, std::string>& stats, const std::string& cmd) {
  const auto it = stats.find("cmdstat_" + cmd);
  if (it == stats.end()) return 0;
  return std::stoll(it->second.substr(it->second.find('=') + 1));
}

Claim only(const Result<std::vector<Claim>>& claims) {
  if (!claims) throw std::runtime_error(claims.error().message);
  if (claims->size() != 1) throw std::runtime_error("expected one claim");
  return claims->front();
}

class DedupTest : public ::testing::Test {
 protected:
  RedisServer server;
  RedisClient redis{server.settings()};
  RedisClient observer{server.settings()};  // a second connection for checks
};

TEST_F(DedupTest, FirstClaimWinsAndSecondSeesItInFlight) {
  Deduplicator worker_a(redis);
  RedisClient other(server.settings());
  Deduplicator worker_b(other);

  const Claim a = only(worker_a.claim({"evt-1"}));
  EXPECT_EQ(a.state, ClaimState::Claimed);
  EXPECT_EQ(a.key, "evt-1");
  EXPECT_EQ(a.token.size(), 32u);  // 128 random bits as hex

  const Claim b = only(worker_b.claim({"evt-1"}));
  EXPECT_EQ(b.state, ClaimState::InFlight);
  EXPECT_NE(b.token, a.token);

  auto stored = observer.command({"GET", "sy:dedup:evt-1"});
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->str, "pending:" + a.token);
  auto ttl = observer.command({"TTL", "sy:dedup:evt-1"});
  ASSERT_TRUE(ttl);
  EXPECT_GT(ttl->integer, 0);
  EXPECT_LE(ttl->integer, 30);
}

TEST_F(DedupTest, MarkDoneMakesLaterClaimsDuplicates) {
  DedupSettings settings;
  settings.done_ttl = std::chrono::hours(1);
  Deduplicator dedup(redis, settings);
  const Claim a = only(dedup.claim({"evt-2"}));
  ASSERT_EQ(a.state, ClaimState::Claimed);
  ASSERT_TRUE(dedup.mark_done({a}));

  EXPECT_EQ(only(dedup.claim({"evt-2"})).state, ClaimState::Duplicate);
  EXPECT_EQ(only(dedup.claim({"evt-2"})).state, ClaimState::Duplicate);
  auto ttl = observer.command({"TTL", "sy:dedup:evt-2"});
  ASSERT_TRUE(ttl);
  EXPECT_GT(ttl->integer, 3500);  // the long TTL replaced the pending one
}

TEST_F(DedupTest, ReleaseLetsANewClaimSucceed) {
  Deduplicator dedup(redis);
  const Claim a = only(dedup.claim({"evt-3"}));
  ASSERT_EQ(a.state, ClaimState::Claimed);
  ASSERT_TRUE(dedup.release({a}));
  const Claim again = only(dedup.claim({"evt-3"}));
  EXPECT_EQ(again.state, ClaimState::Claimed);
  EXPECT_NE(again.token, a.token);
}

TEST_F(DedupTest, ReleaseWithSomeoneElsesTokenDeletesNothing) {
  Deduplicator dedup(redis);
  const Claim a = only(dedup.claim({"evt-4"}));
  ASSERT_EQ(a.state, ClaimState::Claimed);
  Claim stale = a;
  stale.token = "00000000000000000000000000000000";  // e.g. our claim expired and was re-taken
  ASSERT_TRUE(dedup.release({stale}));

  auto stored = observer.command({"GET", "sy:dedup:evt-4"});
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->str, "pending:" + a.token);
  EXPECT_EQ(only(dedup.claim({"evt-4"})).state, ClaimState::InFlight);
}

TEST_F(DedupTest, AbandonedClaimExpiresAfterThePendingTtl) {
  DedupSettings settings;
  settings.pending_ttl = std::chrono::seconds(1);
  Deduplicator crashed_worker(redis, settings);
  ASSERT_EQ(only(crashed_worker.claim({"evt-5"})).state, ClaimState::Claimed);

  Deduplicator next_worker(observer, settings);
  EXPECT_EQ(only(next_worker.claim({"evt-5"})).state, ClaimState::InFlight);
  // Redis expires keys with up to ~1 ms precision; allow scheduling slack.
  EXPECT_TRUE(eventually([&] { return only(next_worker.claim({"evt-5"})).state == ClaimState::Claimed; },
                         5s, 100ms));
}

TEST_F(DedupTest, BatchGetsPerKeyStates) {
  Deduplicator dedup(redis);
  const Claim done = only(dedup.claim({"done-key"}));
  ASSERT_TRUE(dedup.mark_done({done}));
  ASSERT_EQ(only(dedup.claim({"pending-key"})).state, ClaimState::Claimed);

  auto claims = dedup.claim({"new-key", "done-key", "pending-key", "new-key"});
  ASSERT_TRUE(claims);
  ASSERT_EQ(claims->size(), 4u);
  EXPECT_EQ((*claims)[0].state, ClaimState::Claimed);
  EXPECT_EQ((*claims)[1].state, ClaimState::Duplicate);
  EXPECT_EQ((*claims)[2].state, ClaimState::InFlight);
  EXPECT_EQ((*claims)[3].state, ClaimState::InFlight);  // same key twice in a batch: only one wins
  EXPECT_EQ((*claims)[3].key, "new-key");

  // mark_done and release touch only our Claimed keys.
  ASSERT_TRUE(dedup.release(*claims));
  EXPECT_EQ(only(dedup.claim({"done-key"})).state, ClaimState::Duplicate);
  EXPECT_EQ(only(dedup.claim({"pending-key"})).state, ClaimState::InFlight);
  EXPECT_EQ(only(dedup.claim({"new-key"})).state, ClaimState::Claimed);
}

TEST_F(DedupTest, ABatchOfHundredKeysIsOneRoundTrip) {
  Deduplicator dedup(redis);
  std::vector<std::string> keys;
  for (int i = 0; i < 100; ++i) keys.push_back("batch-" + std::to_string(i));
  ASSERT_TRUE(redis.ping());  // connected before measuring
  ASSERT_TRUE(observer.command({"CONFIG", "RESETSTAT"}));
  const auto before = info(observer, "stats");

  auto claims = dedup.claim(keys);
  ASSERT_TRUE(claims);
  for (const auto& c : *claims) EXPECT_EQ(c.state, ClaimState::Claimed);

  const auto after = info(observer, "stats");
  EXPECT_EQ(calls_of(info(observer, "commandstats"), "set"), 100);
  // Reads the server performed on client sockets: our whole batch arrives in one write (the
  // observer's own INFO requests account for the rest). 100 sequential commands would be 100.
  const int64_t reads = std::stoll(after.at("total_reads_processed")) - std::stoll(before.at("total_reads_processed"));
  EXPECT_LE(reads, 3);
}

TEST_F(DedupTest, EmptyInputMakesNoRoundTripAndRedisDownIsAnError) {
  Deduplicator dedup(redis);
  server.stop();
  auto none = dedup.claim({});
  ASSERT_TRUE(none);  // would fail if it talked to the stopped server
  EXPECT_TRUE(none->empty());
  EXPECT_TRUE(dedup.mark_done({}));
  EXPECT_TRUE(dedup.release({}));
  Claim not_ours{"k", "t", ClaimState::InFlight};
  EXPECT_TRUE(dedup.mark_done({not_ours}));  // only Claimed claims are written

  // An unreachable Redis is an error, never a "Claimed" that could double-process or drop.
  auto down = dedup.claim({"evt-6"});
  ASSERT_FALSE(down);
  EXPECT_EQ(down.error().code, "redis_unavailable");
}

// normalize sends the done marks with the batch's activity records: in a pipeline with other
// writes, they mark exactly the Claimed keys, and only their own replies decide the outcome.
TEST_F(DedupTest, DoneMarksShareAPipelineAndAreCheckedByTheirOwnReplies) {
  Deduplicator dedup(redis);
  auto claims = dedup.claim({"shared-1", "shared-2"});
  ASSERT_TRUE(claims);
  const Claim elsewhere{"shared-3", "t", ClaimState::InFlight};  // someone else's: not marked
  std::vector<Claim> done = *claims;
  done.push_back(elsewhere);

  ASSERT_TRUE(observer.command({"SET", "not-a-number", "x"}));
  RespPipeline pipeline;
  pipeline.add("INCR", "not-a-number");  // an error reply before the marks
  const size_t first = pipeline.size();
  const size_t marks = dedup.add_mark_done(pipeline, done);
  pipeline.add("INCR", "not-a-number");  // and one after
  EXPECT_EQ(marks, 2u);
  const auto replies = redis.pipeline(pipeline);
  ASSERT_TRUE(replies);
  ASSERT_EQ(replies->size(), 4u);
  EXPECT_TRUE(Deduplicator::check_mark_done(replies, first, marks));
  EXPECT_FALSE(Deduplicator::check_mark_done(replies, 0, marks));  // the INCR's error is in range
  EXPECT_FALSE(Deduplicator::check_mark_done(replies, first, 4));  // more replies than there are

  EXPECT_EQ(only(dedup.claim({"shared-1"})).state, ClaimState::Duplicate);
  EXPECT_EQ(only(dedup.claim({"shared-2"})).state, ClaimState::Duplicate);
  EXPECT_EQ(only(dedup.claim({"shared-3"})).state, ClaimState::Claimed);

  server.stop();
  RespPipeline again;
  EXPECT_EQ(dedup.add_mark_done(again, *claims), 2u);
  const auto down = redis.pipeline(again);
  EXPECT_FALSE(Deduplicator::check_mark_done(down, 0, 2));
}

}  // namespace
}  // namespace switchyard::testing
