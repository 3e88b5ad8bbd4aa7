#include "common/activity_view.h"

#include <algorithm>

#include "common/activity.h"
#include "common/activity_log.h"
#include "common/json_writer.h"
#include "common/reason_catalogue.h"
#include "common/time_format.h"

namespace switchyard {
namespace {

constexpr size_t kChunk = 500;  // entries per XREVRANGE

// "<ms>-<seq>", both decimal, as Redis makes stream ids.
bool is_stream_id(std::string_view id) {
  const size_t dash = id.find('-');
  if (dash == std::string_view::npos || dash == 0 || dash + 1 == id.size() || id.size() > 41) return false;
  auto digits = [](std::string_view s) { return std::ranges::all_of(s, [](char c) { return c >= '0' && c <= '9'; }); };
  return digits(id.substr(0, dash)) && digits(id.substr(dash + 1));
}

const std::string* field(const RedisReply& fields, std::string_view name) {
  for (size_t i = 0; i + 1 < fields.elements.size(); i += 2) {
    if (fields.elements[i].str == name) return &fields.elements[i + 1].str;
  }
  return nullptr;
}

}  // namespace

Status validate_activity_query(const ActivityQuery& q) {
  if (!q.kind.empty() && !activity::is_kind(q.kind)) {
    return make_error("invalid_request", "kind: not a kind of activity (inbound, command, poll, backfill, auth, "
                                         "connection_test, webhook_registration)");
  }
  if (!q.outcome.empty() && !activity::is_outcome(q.outcome)) {
    return make_error("invalid_request", "outcome: not an outcome of activity (see docs/activity.md)");
  }
  if (!q.reason.empty() && !find_reason(q.reason)) {
    return make_error("invalid_request", "reason: not a reason code (docs/troubleshooting.md)");
  }
  if (!q.since.empty() && !parse_rfc3339(q.since)) return make_error("invalid_request", "since: must be an RFC 3339 time");
  if (!q.cursor.empty() && !is_stream_id(q.cursor)) return make_error("invalid_request", "cursor: not a cursor this API gave");
  if (q.limit < 1 || q.limit > kMaxActivityPage) return make_error("invalid_request", "limit: must be 1 to 500");
  return ok_status();
}

Result<ActivityPage> read_activity(RedisClient& redis, const ActivityQuery& q) {
  const bool problems = q.problems || (!q.outcome.empty() && activity::is_problem(q.outcome));
  const std::string key = q.dead_letters ? activity_dead_letters_key(q.tenant)
                          : problems     ? activity_problems_key(q.tenant)
                                         : activity_stream_key(q.tenant);
  // Records are written in time order, so `since` is both a filter and where the scan stops.
  const std::string since = q.since.empty() ? std::string() : format_rfc3339_utc(*parse_rfc3339(q.since));
  ActivityPage page;
  std::string end = q.cursor.empty() ? "+" : "(" + q.cursor;
  size_t scanned = 0;
  while (scanned < kMaxActivityScan) {
    auto reply = redis.command({"XREVRANGE", key, end, "-", "COUNT", std::to_string(kChunk)});
    if (!reply || reply->type == RedisReply::Type::Error) {
      return make_error("redis_unavailable", "the activity store (Redis) did not answer");
    }
    if (reply->elements.empty()) return page;  // nothing older
    for (const RedisReply& entry : reply->elements) {
      if (entry.elements.size() != 2) continue;
      const std::string& id = entry.elements[0].str;
      const RedisReply& fields = entry.elements[1];
      ++scanned;
      const std::string* at = field(fields, "at");
      if (!since.empty() && at != nullptr && *at < since) return page;  // older than asked for: done
      const std::string* kind = field(fields, "kind");
      const std::string* outcome = field(fields, "outcome");
      const std::string* reason = field(fields, "reason");
      const std::string* record = field(fields, "r");
      const bool wanted = record != nullptr && (q.kind.empty() || (kind && *kind == q.kind)) &&
                          (q.outcome.empty() || (outcome && *outcome == q.outcome)) &&
                          (q.reason.empty() || (reason && *reason == q.reason));
      if (wanted) page.records.push_back(*record);
      end = "(" + id;
      if (page.records.size() == q.limit || scanned == kMaxActivityScan) {
        page.next_cursor = id;
        return page;
      }
    }
    if (reply->elements.size() < kChunk) return page;  // that was the oldest
  }
  return page;
}

std::string activity_page_json(const std::string& tenant, const ActivityPage& page) {
  JsonWriter w;
  w.begin_object().field("tenant", tenant).key("records").begin_array();
  for (const auto& record : page.records) w.raw(record);
  w.end_array();
  if (!page.next_cursor.empty()) w.field("next_cursor", page.next_cursor);
  w.end_object();
  return w.take();
}

}  // namespace switchyard
