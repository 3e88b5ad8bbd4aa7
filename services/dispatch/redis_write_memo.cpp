#include "dispatch/redis_write_memo.h"

#include "common/log.h"

namespace switchyard::dispatch {

RedisWriteMemo::RedisWriteMemo(RedisClient& redis, Metrics& metrics, std::chrono::seconds ttl, std::string prefix)
    : redis_(redis), metrics_(metrics), ttl_(ttl), prefix_(std::move(prefix)) {}

std::string RedisWriteMemo::key(const Tenant& tenant, std::string_view kind, std::string_view external_ref) const {
  return prefix_ + tenant.id + ":" + tenant.psa + ":" + std::string(kind) + ":" + std::string(external_ref);
}

std::optional<std::string> RedisWriteMemo::lookup(const Tenant& tenant, std::string_view kind,
                                                  std::string_view external_ref) {
  auto reply = redis_.checked_command({"GET", key(tenant, kind, external_ref)});
  // Redis down: fall through to the PSA lookup by external reference, which is the
  // authoritative check; the memo only saves that call.
  if (!reply) {
    metrics_.count_redis_error("write_memo_lookup");
    log::warn("write memo lookup failed; asking the PSA", {{"tenant", tenant.id}, {"error", reply.error().message}});
    return std::nullopt;
  }
  if (reply->type != RedisReply::Type::String) return std::nullopt;
  return reply->str;
}

void RedisWriteMemo::remember(const Tenant& tenant, std::string_view kind, std::string_view external_ref,
                              std::string_view psa_id) {
  auto reply = redis_.checked_command(
      {"SET", key(tenant, kind, external_ref), std::string(psa_id), "EX", std::to_string(ttl_.count())});
  if (!reply) {
    metrics_.count_redis_error("write_memo_save");
    log::warn("write memo not saved", {{"tenant", tenant.id}, {"error", reply.error().message}});
  }
}

}  // namespace switchyard::dispatch
