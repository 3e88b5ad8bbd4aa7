#include "common/sync_health.h"

#include "common/json_writer.h"
#include "common/time_format.h"

namespace switchyard {
namespace {

// Sets the field to ARGV[2] unless it already holds a later time (RFC 3339 UTC strings of one
// form order by time), then refreshes the hash's expiry.
constexpr std::string_view kForwardOnly = R"lua(
local old = redis.call('HGET', KEYS[1], ARGV[1])
if (not old) or old < ARGV[2] then redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) end
redis.call('EXPIRE', KEYS[1], ARGV[3])
return 1)lua";

}  // namespace

std::string sync_health_key(std::string_view tenant) {
  std::string key = "sy:health:{";
  key.append(tenant).append("}");
  return key;
}

std::vector<std::vector<std::string>> record_sync_health(std::string_view tenant, std::string_view entity,
                                                         bool poll, const std::string& at, std::chrono::seconds ttl) {
  std::string field = poll ? "poll:" : "event:";
  field.append(entity);
  return {{"EVAL", std::string(kForwardOnly), "1", sync_health_key(tenant), field, at, std::to_string(ttl.count())}};
}

std::string TenantHealth::last_event() const {
  std::string newest;
  for (const auto& [entity, h] : entities) {
    if (h.last_event > newest) newest = h.last_event;
  }
  return newest;
}

Result<TenantHealth> read_sync_health(RedisClient& redis, std::string_view tenant) {
  auto reply = redis.command({"HGETALL", sync_health_key(tenant)});
  if (!reply || reply->type != RedisReply::Type::Array) {
    return make_error("redis_unavailable", "the health store (Redis) did not answer");
  }
  TenantHealth health;
  const auto& items = reply->elements;
  for (size_t i = 0; i + 1 < items.size(); i += 2) {
    const std::string& field = items[i].str;
    const size_t colon = field.find(':');
    if (colon == std::string::npos) continue;
    EntityHealth& e = health.entities[field.substr(colon + 1)];
    (field.starts_with("poll:") ? e.last_poll : e.last_event) = items[i + 1].str;
  }
  return health;
}

std::string sync_health_json(std::string_view tenant, const TenantHealth& health, std::chrono::seconds threshold,
                             std::chrono::system_clock::time_point now) {
  const std::string last = health.last_event();
  const auto parsed = last.empty() ? Result<std::chrono::system_clock::time_point>(make_error("none", ""))
                                   : parse_rfc3339(last);
  const bool silent = !parsed || now - *parsed > threshold;
  JsonWriter w;
  w.begin_object()
      .field("tenant", tenant)
      .field("silence_threshold_seconds", static_cast<int64_t>(threshold.count()));
  if (!last.empty()) w.field("last_event", last);
  w.field("silent", silent).key("entities").begin_object();
  for (const auto& [entity, h] : health.entities) {
    w.key(entity).begin_object();
    if (!h.last_event.empty()) w.field("last_event", h.last_event);
    if (!h.last_poll.empty()) w.field("last_poll", h.last_poll);
    w.end_object();
  }
  w.end_object().end_object();
  return w.take();
}

}  // namespace switchyard
