// The start-up check that Redis will not evict Switchyard's keys. An evicted dedup claim, an
// executed-command record or a poll lease silently breaks a guarantee (docs/deploy.md, "Redis"),
// so a Redis that may evict keys under memory pressure is refused unless the operator says
// otherwise (SWITCHYARD_REDIS_ALLOW_EVICTION=true).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/env.h"
#include "common/redis_client.h"
#include "common/result.h"

namespace switchyard {

struct RedisMemoryPolicy {
  int64_t maxmemory = 0;  // bytes; 0: no limit, nothing is ever evicted
  std::string policy;     // maxmemory-policy, e.g. "noeviction", "allkeys-lru"
  bool may_evict() const { return maxmemory != 0 && policy != "noeviction"; }
};

// Reads maxmemory and maxmemory_policy out of an INFO memory reply. INFO, not CONFIG GET, since
// managed Redis offerings often disable CONFIG.
Result<RedisMemoryPolicy> parse_info_memory(std::string_view info);

// Asks Redis (INFO memory). Errors: "redis_evicts" when it may evict keys (the message names
// maxmemory-policy and SWITCHYARD_REDIS_ALLOW_EVICTION), or the client's error when Redis could
// not be asked.
Result<RedisMemoryPolicy> check_redis_eviction_policy(RedisClient& redis);

// Called by every service at start, before its workers run. Throws ConfigError when Redis may
// evict keys and SWITCHYARD_REDIS_ALLOW_EVICTION is not true (with it: a warning). When Redis
// cannot be reached the service starts anyway, with a warning: the services ride out Redis
// outages, and the check runs again at the next start.
void require_redis_without_eviction(const RedisSettings& settings, const Env& env);

}  // namespace switchyard
