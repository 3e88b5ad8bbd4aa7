#include "dispatch/usage_closer.h"

#include "common/crypto.h"
#include "common/log.h"
#include "common/recipe.h"
#include "common/time_format.h"
#include "common/trace.h"

namespace switchyard::dispatch {
namespace {

constexpr size_t kPerPass = 100;
// A produced close runs within seconds; if it has not after this long, it is produced again.
constexpr std::chrono::seconds kRetryAfter{600};

}  // namespace

UsageCloser::UsageCloser(RedisClient& redis, KafkaProducer& producer, Metrics& metrics, const LiveTenants& tenants,
                         std::string commands_topic, std::chrono::seconds state_ttl)
    : state_(redis, state_ttl), producer_(producer), metrics_(metrics), tenants_(tenants), topic_(std::move(commands_topic)) {}

size_t UsageCloser::close_due(std::chrono::system_clock::time_point now) {
  auto due = state_.due_closes(now, kPerPass);
  if (!due) {
    metrics_.count_redis_error("usage_close_scan");
    log::warn("billing periods due to close not read", {{"error", due.error().message}});
    return 0;
  }
  size_t produced = 0;
  for (const auto& close : *due) {
    // A tenant no longer configured keeps its entry until it is back (or its state expires).
    if (tenants_.find(close.tenant) == nullptr) continue;
    // The same id for every scheduled close of this period: a second one is skipped as a duplicate.
    RecipeCommand recipe{"usage-close." + crypto::sha256_hex(close.tenant + "/" + close.agreement + "/" + close.period).substr(0, 40),
                         close.tenant, now_rfc3339(), UsagePeriodClosed{close.agreement, close.period}};
    const std::vector<KafkaHeader> headers{{"sy-tenant", recipe.tenant},
                                           {"sy-command-type", std::string(recipe_type(recipe))},
                                           {"sy-command-id", recipe.id},
                                           {std::string(kTraceHeader), recipe.id}};
    const DeliveryResult d = producer_.produce_sync(topic_, recipe_partition_key(recipe), to_json(recipe), headers);
    metrics_.observe_produce(topic_, d.ok, d.latency_seconds);
    if (!d.ok) {
      log::warn("billing period close not produced; tried again next pass", {{"tenant", close.tenant}, {"error", d.error}});
      break;
    }
    ++produced;
    if (auto st = state_.postpone_close(close, kRetryAfter); !st) metrics_.count_redis_error("usage_close_postpone");
    log::info("billing period due: close produced", {{"tenant", close.tenant}, {"agreement_id", close.agreement},
                                                     {"period", close.period}});
  }
  return produced;
}

}  // namespace switchyard::dispatch
