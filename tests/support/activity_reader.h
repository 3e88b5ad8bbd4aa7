// A tenant's recent activity as ingest's API reads it (common/activity_view.h), for tests that
// run a service without its API: the newest 500 records, newest first.
#pragma once

#include <string>
#include <vector>

#include "common/activity.h"
#include "common/redis_client.h"

namespace switchyard::testing {

std::vector<ActivityRecord> recent_activity(RedisClient& redis, const std::string& tenant);

}  // namespace switchyard::testing
