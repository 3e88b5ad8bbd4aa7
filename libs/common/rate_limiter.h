// RateLimiter: per-tenant request limits shared by every replica, so N workers together respect
// what a PSA allows. GCRA (the "generic cell rate algorithm" of redis-cell and Stripe's limiter)
// runs as one Lua script in Redis: one round trip, atomic, and timed by Redis' own clock (TIME),
// so replicas with skewed clocks still agree. A PSA's own 429 Retry-After is recorded with
// pause() and makes every replica back off until it has passed.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "common/redis_client.h"
#include "common/result.h"

namespace switchyard {

struct RateLimit {
  double per_second = 1;  // sustained rate, > 0
  int burst = 1;          // requests allowed back to back after an idle period, >= 1
};

// One budget a request spends: `scope` is whose it is (a tenant id, or an egress shared by
// tenants) and `name` narrows it within the scope ("" = the scope's own budget; "backfill",
// "endpoint:v2/servicedesk/tickets"). Keys: <prefix>{<scope>}[:<name>]:tat and :pause, so the
// budgets of one scope live in one hash slot.
struct RateBucket {
  std::string scope;
  std::string name;
  RateLimit limit;
};

struct RateDecision {
  bool allowed = false;
  std::chrono::milliseconds retry_after{0};  // when !allowed: wait at least this long
  int denied_by = -1;  // when !allowed: the index of the bucket that refused (paused or spent)
};

class RateLimiter {
 public:
  explicit RateLimiter(RedisClient& redis, std::string key_prefix = "sy:rl:");

  // Takes one request's worth of the tenant's limit if available. Errors: invalid limit,
  // Redis unreachable (callers should then wait and retry, not send unlimited).
  Result<RateDecision> acquire(std::string_view tenant, const RateLimit& limit);
  // Takes one request's worth of every bucket, or of none: a bucket that refuses leaves the
  // others untouched. All buckets must share one scope (one atomic script, one hash slot).
  Result<RateDecision> acquire_all(const std::vector<RateBucket>& buckets);
  // Every acquire for `tenant` is denied until `duration` has passed (never shortens a longer
  // pause already in place). For the PSA's 429 / Retry-After.
  Status pause(std::string_view tenant, std::chrono::milliseconds duration);
  // The same for one bucket of a scope (and so only for the requests that spend it).
  Status pause(std::string_view scope, std::string_view name, std::chrono::milliseconds duration);

 private:
  std::string key_base(std::string_view scope, std::string_view name) const;

  RedisClient& redis_;
  std::string prefix_;
  std::string acquire_sha_;  // SHA1 from SCRIPT LOAD, so calls send EVALSHA, not the script
  std::string pause_sha_;
};

}  // namespace switchyard
