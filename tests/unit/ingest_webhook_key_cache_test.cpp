// WebhookKeyCache: keys per tenant and key URL, a refetch at most once per window, a few URLs per
// tenant (the least recently used dropped), and keys that expire.
#include "ingest/webhook_key_cache.h"

#include <gtest/gtest.h>

namespace switchyard::ingest {
namespace {

using namespace std::chrono_literals;
using Clock = WebhookKeyCache::Clock;

TEST(WebhookKeyCacheTest, AKeyIsFetchedOnceAndRefetchedAtMostOncePerWindow) {
  WebhookKeyCache cache({.urls_per_tenant = 4, .keep = 24h, .refetch_after = 60s});
  const auto t0 = Clock::now();
  EXPECT_FALSE(cache.get("acme", "https://cw/key/1", t0));
  EXPECT_TRUE(cache.claim_fetch("acme", "https://cw/key/1", t0));
  EXPECT_FALSE(cache.claim_fetch("acme", "https://cw/key/1", t0 + 1s)) << "one fetch at a time";
  cache.put("acme", "https://cw/key/1", "k1", t0 + 1s);
  EXPECT_EQ(cache.get("acme", "https://cw/key/1", t0 + 2s), "k1");
  EXPECT_FALSE(cache.get("globex", "https://cw/key/1", t0 + 2s)) << "keys are per tenant";
  EXPECT_FALSE(cache.claim_fetch("acme", "https://cw/key/1", t0 + 59s));
  EXPECT_TRUE(cache.claim_fetch("acme", "https://cw/key/1", t0 + 61s));
  cache.put("acme", "https://cw/key/1", "k2", t0 + 62s);
  EXPECT_EQ(cache.get("acme", "https://cw/key/1", t0 + 63s), "k2");
}

TEST(WebhookKeyCacheTest, KeysExpireAndOnlyAFewUrlsAreKeptPerTenant) {
  WebhookKeyCache cache({.urls_per_tenant = 2, .keep = 1h, .refetch_after = 60s});
  const auto t0 = Clock::now();
  cache.put("acme", "u1", "k1", t0);
  cache.put("acme", "u2", "k2", t0);
  EXPECT_EQ(cache.get("acme", "u1", t0), "k1");  // u1 is now the most recently used
  cache.put("acme", "u3", "k3", t0);              // drops u2
  EXPECT_FALSE(cache.get("acme", "u2", t0));
  EXPECT_EQ(cache.get("acme", "u1", t0), "k1");
  EXPECT_EQ(cache.get("acme", "u3", t0), "k3");
  EXPECT_FALSE(cache.get("acme", "u1", t0 + 2h)) << "kept an hour";
}

}  // namespace
}  // namespace switchyard::ingest
