// GCRA in Redis. The theoretical arrival time (TAT) is when the tenant's limit would be fully
// "paid off"; a request is allowed when TAT + interval − burst × interval is not in the future.
#include "common/rate_limiter.h"

#include <cmath>
#include <cstdio>

namespace switchyard {
namespace {

// KEYS[1] TAT (ms since epoch), KEYS[2] pause-until (ms); ARGV[1] interval ms, ARGV[2] burst.
// Returns {allowed (0/1), retry_after_ms}. The TAT key expires when it is reached, which is the
// same as "idle": no cleanup needed.
constexpr const char* kAcquireScript = R"lua(
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local paused = tonumber(redis.call('GET', KEYS[2]))
if paused and paused > now then
  return {0, math.ceil(paused - now)}
end
local interval = tonumber(ARGV[1])
local tolerance = interval * tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1]))
if not tat or tat < now then tat = now end
local new_tat = tat + interval
local allow_at = new_tat - tolerance
if allow_at > now then
  return {0, math.ceil(allow_at - now)}
end
redis.call('SET', KEYS[1], string.format('%.3f', new_tat), 'PX', math.ceil(new_tat - now))
return {1, 0}
)lua";

// KEYS[1] pause-until (ms); ARGV[1] pause length ms. Extends, never shortens.
constexpr const char* kPauseScript = R"lua(
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local ms = tonumber(ARGV[1])
local until_ms = now + ms
local current = tonumber(redis.call('GET', KEYS[1]))
if not current or current < until_ms then
  redis.call('SET', KEYS[1], string.format('%.3f', until_ms), 'PX', ms)
end
return 1
)lua";

std::string format_ms(double ms) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6f", ms);
  return buf;
}

}  // namespace

RateLimiter::RateLimiter(RedisClient& redis, std::string key_prefix)
    : redis_(redis), prefix_(std::move(key_prefix)) {}

Result<RateDecision> RateLimiter::acquire(std::string_view tenant, const RateLimit& limit) {
  if (!(limit.per_second > 0) || !std::isfinite(limit.per_second) || limit.burst < 1) {
    return make_error("invalid_rate_limit", "rate limit needs per_second > 0 and burst >= 1");
  }
  const std::string base = prefix_ + "{" + std::string(tenant) + "}";
  auto reply = redis_.eval_script(acquire_sha_, kAcquireScript,
                          {"2", base + ":tat", base + ":pause", format_ms(1000.0 / limit.per_second),
                           std::to_string(limit.burst)});
  if (!reply) return reply.error();
  if (reply->type != RedisReply::Type::Array || reply->elements.size() != 2) {
    return make_error("rate_limiter_failed", "rate limiter: unexpected script reply");
  }
  RateDecision decision;
  decision.allowed = reply->elements[0].integer == 1;
  decision.retry_after = std::chrono::milliseconds(reply->elements[1].integer);
  return decision;
}

Status RateLimiter::pause(std::string_view tenant, std::chrono::milliseconds duration) {
  if (duration.count() <= 0) return ok_status();
  const std::string key = prefix_ + "{" + std::string(tenant) + "}:pause";
  auto reply = redis_.eval_script(pause_sha_, kPauseScript, {"1", key, std::to_string(duration.count())});
  if (!reply) return reply.error();
  return ok_status();
}

}  // namespace switchyard
