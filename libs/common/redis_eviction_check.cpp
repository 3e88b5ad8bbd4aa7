#include "common/redis_eviction_check.h"

#include <charconv>
#include <optional>

#include "common/log.h"

namespace switchyard {
namespace {

// The value of "name:value" in INFO's "\r\n"-separated lines, if present.
std::optional<std::string_view> info_field(std::string_view info, std::string_view name) {
  while (!info.empty()) {
    const auto eol = info.find('\n');
    std::string_view line = info.substr(0, eol);
    info = eol == std::string_view::npos ? std::string_view{} : info.substr(eol + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.size() > name.size() && line.starts_with(name) && line[name.size()] == ':') {
      return line.substr(name.size() + 1);
    }
  }
  return std::nullopt;
}

}  // namespace

Result<RedisMemoryPolicy> parse_info_memory(std::string_view info) {
  const auto maxmemory = info_field(info, "maxmemory");
  const auto policy = info_field(info, "maxmemory_policy");
  if (!maxmemory || !policy) {
    return make_error("redis_error", "INFO memory has no maxmemory or maxmemory_policy (is this Redis >= 4?)");
  }
  RedisMemoryPolicy out;
  const auto [end, ec] = std::from_chars(maxmemory->data(), maxmemory->data() + maxmemory->size(), out.maxmemory);
  if (ec != std::errc() || end != maxmemory->data() + maxmemory->size() || out.maxmemory < 0) {
    return make_error("redis_error", "INFO memory has a maxmemory that is not a number");
  }
  out.policy = std::string(*policy);
  return out;
}

Result<RedisMemoryPolicy> check_redis_eviction_policy(RedisClient& redis) {
  auto reply = redis.checked_command({"INFO", "memory"});
  if (!reply) return reply.error();
  auto policy = parse_info_memory(reply->str);
  if (!policy) return policy.error();
  if (policy->may_evict()) {
    return make_error("redis_evicts",
                      "Redis maxmemory-policy is " + policy->policy + " with maxmemory " +
                          std::to_string(policy->maxmemory) +
                          ": Redis may evict Switchyard's dedup, command and lease keys under memory pressure. "
                          "Set maxmemory-policy noeviction (or maxmemory 0), or accept the risk with "
                          "SWITCHYARD_REDIS_ALLOW_EVICTION=true");
  }
  return policy;
}

void require_redis_without_eviction(const RedisSettings& settings, const Env& env) {
  const bool allow = env.boolean("SWITCHYARD_REDIS_ALLOW_EVICTION", false);
  RedisClient redis(settings);
  auto checked = check_redis_eviction_policy(redis);
  if (checked) return;
  const Error& e = checked.error();
  if (e.code == "redis_evicts") {
    if (!allow) throw ConfigError(e.message);
    log::warn("Redis may evict keys; starting anyway because SWITCHYARD_REDIS_ALLOW_EVICTION=true",
              {{"error", e.message}});
    return;
  }
  log::warn("could not check Redis's eviction policy at start; starting anyway (checked again at the next start)",
            {{"error", e.message}});
}

}  // namespace switchyard
