// A tenant's recent activity in tests: read from Redis as ingest's API reads it
// (common/activity_view.h), or parsed from the API's answer, and waited for.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/activity.h"
#include "common/redis_client.h"

namespace switchyard::testing {

// The newest 500 records, newest first, for tests that run a service without its API.
std::vector<ActivityRecord> recent_activity(RedisClient& redis, const std::string& tenant);

// The records of an answer of GET /v1/tenants/{t}/activity ({"records":[...],"next_cursor"}),
// and its next_cursor when asked for ("" on the last page).
std::vector<ActivityRecord> activity_records(std::string_view body, std::string* next_cursor = nullptr);

// The first record (newest first) that `wanted` accepts among what `read` returns, asking
// again until `timeout`; nullopt when none came.
std::optional<ActivityRecord> wait_for_activity(const std::function<std::vector<ActivityRecord>()>& read,
                                                const std::function<bool(const ActivityRecord&)>& wanted,
                                                std::chrono::seconds timeout = std::chrono::seconds(30));

}  // namespace switchyard::testing
