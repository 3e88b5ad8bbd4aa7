// RateLimiter: per-tenant request limits shared by every replica, so N workers together respect
// what a PSA allows. GCRA (the "generic cell rate algorithm" of redis-cell and Stripe's limiter)
// runs as one Lua script in Redis: one round trip, atomic, and timed by Redis' own clock (TIME),
// so replicas with skewed clocks still agree. A PSA's own 429 Retry-After is recorded with
// pause() and makes every replica back off until it has passed.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "common/redis_client.h"
#include "common/result.h"

namespace switchyard {

struct RateLimit {
  double per_second = 1;  // sustained rate, > 0
  int burst = 1;          // requests allowed back to back after an idle period, >= 1
};

struct RateDecision {
  bool allowed = false;
  std::chrono::milliseconds retry_after{0};  // when !allowed: wait at least this long
};

class RateLimiter {
 public:
  // Keys: <prefix>{<tenant>}:tat and <prefix>{<tenant>}:pause (one hash slot per tenant).
  explicit RateLimiter(RedisClient& redis, std::string key_prefix = "sy:rl:");

  // Takes one request's worth of the tenant's limit if available. Errors: invalid limit,
  // Redis unreachable (callers should then wait and retry, not send unlimited).
  Result<RateDecision> acquire(std::string_view tenant, const RateLimit& limit);
  // Every acquire for `tenant` is denied until `duration` has passed (never shortens a longer
  // pause already in place). For the PSA's 429 / Retry-After.
  Status pause(std::string_view tenant, std::chrono::milliseconds duration);

 private:
  RedisClient& redis_;
  std::string prefix_;
  std::string acquire_sha_;  // SHA1 from SCRIPT LOAD, so calls send EVALSHA, not the script
  std::string pause_sha_;
};

}  // namespace switchyard
