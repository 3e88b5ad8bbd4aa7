// GCRA in Redis. The theoretical arrival time (TAT) is when the tenant's limit would be fully
// "paid off"; a request is allowed when TAT + interval − burst × interval is not in the future.
#include "common/rate_limiter.h"

#include <cmath>
#include <cstdio>

namespace switchyard {
namespace {

// Buckets 1..n: KEYS[2i-1] TAT (ms since epoch), KEYS[2i] pause-until (ms); ARGV[2i-1] interval
// ms, ARGV[2i] burst. Every bucket is checked before any is spent, so a refusal costs nothing.
// Returns {allowed (0/1), retry_after_ms, index of the refusing bucket (0-based) or -1}. A TAT
// key expires when it is reached, which is the same as "idle": no cleanup needed.
constexpr const char* kAcquireScript = R"lua(
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local n = #KEYS / 2
local new_tats = {}
for i = 1, n do
  local paused = tonumber(redis.call('GET', KEYS[2 * i]))
  if paused and paused > now then
    return {0, math.ceil(paused - now), i - 1}
  end
  local interval = tonumber(ARGV[2 * i - 1])
  local tolerance = interval * tonumber(ARGV[2 * i])
  local tat = tonumber(redis.call('GET', KEYS[2 * i - 1]))
  if not tat or tat < now then tat = now end
  local new_tat = tat + interval
  local allow_at = new_tat - tolerance
  if allow_at > now then
    return {0, math.ceil(allow_at - now), i - 1}
  end
  new_tats[i] = new_tat
end
for i = 1, n do
  redis.call('SET', KEYS[2 * i - 1], string.format('%.3f', new_tats[i]), 'PX', math.ceil(new_tats[i] - now))
end
return {1, 0, -1}
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

std::string RateLimiter::key_base(std::string_view scope, std::string_view name) const {
  std::string base = prefix_;
  base.append("{").append(scope).append("}");
  if (!name.empty()) base.append(":").append(name);
  return base;
}

Result<RateDecision> RateLimiter::acquire(std::string_view tenant, const RateLimit& limit) {
  return acquire_all({RateBucket{std::string(tenant), "", limit}});
}

Result<RateDecision> RateLimiter::acquire_all(const std::vector<RateBucket>& buckets) {
  if (buckets.empty()) return RateDecision{true, {}, -1};
  std::vector<std::string> args{std::to_string(buckets.size() * 2)};
  std::vector<std::string> argv;
  for (const RateBucket& b : buckets) {
    if (!(b.limit.per_second > 0) || !std::isfinite(b.limit.per_second) || b.limit.burst < 1) {
      return make_error("invalid_rate_limit", "rate limit needs per_second > 0 and burst >= 1");
    }
    if (b.scope != buckets.front().scope) {
      return make_error("invalid_rate_limit", "one acquire_all spends the buckets of one scope");
    }
    const std::string base = key_base(b.scope, b.name);
    args.push_back(base + ":tat");
    args.push_back(base + ":pause");
    argv.push_back(format_ms(1000.0 / b.limit.per_second));
    argv.push_back(std::to_string(b.limit.burst));
  }
  args.insert(args.end(), argv.begin(), argv.end());
  auto reply = redis_.eval_script(acquire_sha_, kAcquireScript, args);
  if (!reply) return reply.error();
  if (reply->type != RedisReply::Type::Array || reply->elements.size() != 3) {
    return make_error("rate_limiter_failed", "rate limiter: unexpected script reply");
  }
  RateDecision decision;
  decision.allowed = reply->elements[0].integer == 1;
  decision.retry_after = std::chrono::milliseconds(reply->elements[1].integer);
  decision.denied_by = static_cast<int>(reply->elements[2].integer);
  return decision;
}

Status RateLimiter::pause(std::string_view tenant, std::chrono::milliseconds duration) {
  return pause(tenant, "", duration);
}

Status RateLimiter::pause(std::string_view scope, std::string_view name, std::chrono::milliseconds duration) {
  if (duration.count() <= 0) return ok_status();
  const std::string key = key_base(scope, name) + ":pause";
  auto reply = redis_.eval_script(pause_sha_, kPauseScript, {"1", key, std::to_string(duration.count())});
  if (!reply) return reply.error();
  return ok_status();
}

}  // namespace switchyard
