// Deletes every Redis key of one tenant, family by family as common/tenant_keys.h classifies
// them: exact keys with one UNLINK, the others found with SCAN MATCH (the tenant glob-escaped,
// delimiter-exact, so "acme" never touches "acme2") and unlinked in batches, and the tenant's
// members of global sorted sets found with ZSCAN MATCH and removed with ZREM. Global keys (the
// dedup marks) are never touched. Safe to run again: what is gone counts 0.
//
// SCAN walks the whole keyspace once per pattern family (about 30), COUNT `scan_count` keys per
// round trip: seconds on a Redis of millions of keys, on the caller's thread and connection.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/redis_client.h"
#include "common/result.h"

namespace switchyard {

struct TenantKeyRemovalOptions {
  size_t scan_count = 1000;  // SCAN/ZSCAN COUNT: keys looked at per round trip
  size_t batch = 500;        // keys per UNLINK, members per ZREM
  // Families left in place (reported with 0): offboarding keeps the webhook registration while
  // the PSA still has the webhooks.
  std::vector<std::string> keep = {};
};

struct RemovedKeys {
  std::string family;  // tenant_keys::KeyFamily::name
  int64_t removed = 0;  // keys (and sorted-set members) that existed and were removed
};

struct TenantKeyRemoval {
  std::vector<RemovedKeys> families;  // every per-tenant family, in tenant_keys::families() order
  int64_t total() const;
};

// Errors: "invalid_tenant" (not a tenant id), or the Redis error; keys removed before an error
// stay removed (running again finishes the job).
Result<TenantKeyRemoval> remove_tenant_keys(RedisClient& redis, std::string_view tenant,
                                            const TenantKeyRemovalOptions& options = {});

}  // namespace switchyard
