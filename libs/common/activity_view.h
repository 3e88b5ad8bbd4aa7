// Reading a tenant's recent activity (the Redis streams ActivityLog writes), newest first, with
// filters and cursor paging: what GET /v1/tenants/{tenant}/activity serves.
#pragma once

#include <string>
#include <vector>

#include "common/redis_client.h"
#include "common/result.h"

namespace switchyard {

struct ActivityQuery {
  std::string tenant{};
  std::string kind{};     // empty: any
  std::string outcome{};  // empty: any
  std::string reason{};   // a reason code; empty: any
  std::string since{};    // RFC 3339 UTC; records at or after it (empty: any)
  // Only the problems (activity::is_problem), from the tenant's problem stream, which keeps
  // them longer on a busy tenant. Implied by an `outcome` that is a problem.
  bool problems = false;
  // Only the dead letters (records with a dead_letter place), from their own stream.
  bool dead_letters = false;
  std::string cursor{};   // next_cursor of the previous page; empty: the newest
  size_t limit = 50;    // records per page, 1..kMaxActivityPage
};

inline constexpr size_t kMaxActivityPage = 500;
// Stream entries one page request reads at most; a page whose filter matches little ends
// there with a cursor, so every request is bounded.
inline constexpr size_t kMaxActivityScan = 5000;

struct ActivityPage {
  std::vector<std::string> records;  // each record's JSON (common/activity.h), newest first
  std::string next_cursor;           // empty when there is nothing older
};

// Checks a query from the API: kind and outcome are known names, since is RFC 3339, the
// cursor is a stream id, limit in range. Error code "invalid_request", naming the parameter.
Status validate_activity_query(const ActivityQuery& query);

// Error code "redis_unavailable" when Redis does not answer.
Result<ActivityPage> read_activity(RedisClient& redis, const ActivityQuery& query);

// {"tenant","records":[...],"next_cursor"} (next_cursor only when there is more).
std::string activity_page_json(const std::string& tenant, const ActivityPage& page);

}  // namespace switchyard
