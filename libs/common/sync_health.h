// Sync health per tenant and entity (docs/activity.md#sync-health): when the tenant's last event
// of each entity was published (normalize) and when its last poll of it succeeded (ingest), kept
// in one Redis hash per tenant, sy:health:{tenant}, with fields "event:<entity>" and
// "poll:<entity>" (RFC 3339 UTC). ingest serves it (GET /v1/tenants/{t}/health) and exports it
// as gauges, which the SwitchyardTenantSilent alert compares with the tenant's threshold.
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/redis_client.h"
#include "common/result.h"

namespace switchyard {

std::string sync_health_key(std::string_view tenant);

// The Redis commands that record `at` as the last event (or successful poll) of the entity and
// keep the hash for `ttl` after its last write. Times only move forward: a replica with an older
// time never overwrites a newer one.
std::vector<std::vector<std::string>> record_sync_health(std::string_view tenant, std::string_view entity,
                                                         bool poll, const std::string& at, std::chrono::seconds ttl);

struct EntityHealth {
  std::string last_event;  // RFC 3339 UTC, or empty: none recorded
  std::string last_poll;
};
struct TenantHealth {
  std::map<std::string, EntityHealth> entities;
  std::string last_event() const;  // the newest of the entities'
};

// Error "redis_unavailable".
Result<TenantHealth> read_sync_health(RedisClient& redis, std::string_view tenant);

// {"tenant","silence_threshold_seconds","last_event","silent","entities":{"<entity>":{"last_event","last_poll"}}}
// `silent`: no event for longer than the threshold (or none at all).
std::string sync_health_json(std::string_view tenant, const TenantHealth& health, std::chrono::seconds threshold,
                             std::chrono::system_clock::time_point now);

}  // namespace switchyard
