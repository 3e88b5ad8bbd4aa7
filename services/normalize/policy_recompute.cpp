#include "normalize/policy_recompute.h"

#include "common/log.h"
#include "common/produce_batch.h"
#include "common/time_format.h"
#include "normalize/canonical_headers.h"
#include "normalize/policy_engine.h"

namespace switchyard::normalize {
namespace {

constexpr size_t kChunk = 200;  // companies decided, produced and stored at a time


}  // namespace

PolicyRecompute::PolicyRecompute(const ServiceConfig& config, TenantSyncPolicies policies, Metrics& metrics,
                                 std::chrono::seconds check_every)
    : config_(config),
      policies_(std::move(policies)),
      metrics_(metrics),
      normalize_metrics_(metrics),
      check_every_(check_every),
      redis_(config.redis),
      state_(redis_) {
  auto producer = KafkaProducer::create(config_.kafka);
  if (!producer) throw ConfigError("kafka producer: " + producer.error().message);
  producer_ = std::move(*producer);
}

PolicyRecompute::~PolicyRecompute() { stop(); }

void PolicyRecompute::start() {
  if (check_every_.count() == 0) return;
  thread_ = std::thread([this] {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
      lock.unlock();
      const auto result = run_day(format_utc_date(std::chrono::system_clock::now()));
      if (result.tenants > 0) {
        log::info("sync policies recomputed", {{"tenants", result.tenants}, {"companies", result.companies},
                                               {"records", result.records}, {"failed", result.failed}});
      }
      lock.lock();
      wake_.wait_for(lock, check_every_, [this] { return stopping_; });
    }
  });
}

void PolicyRecompute::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

RecomputeResult PolicyRecompute::run_day(const std::string& day) {
  RecomputeResult result;
  const auto table = policies_.snapshot();
  for (const auto& [tenant, settings] : *table) {
    if (settings.all()) continue;
    // One replica a day per tenant: the lock outlives the day, so the day is never done twice.
    const std::string lock = policy_key(tenant, "recomputed:" + day);
    auto taken = redis_.checked_command({"SET", lock, "1", "NX", "EX", "172800"});
    if (!taken) {
      metrics_.count_redis_error("policy_recompute");
      result.failed = true;
      continue;
    }
    if (taken->is_nil()) continue;
    ++result.tenants;
    if (!recompute_tenant(tenant, settings, day, result)) {
      result.failed = true;
      // Released: the next check tries the day again (or, if Redis is gone, the day after).
      if (!redis_.command({"DEL", lock})) metrics_.count_redis_error("policy_recompute");
    }
  }
  return result;
}

bool PolicyRecompute::recompute_tenant(const std::string& tenant, const policy::SyncPolicies& settings,
                                       const std::string& day, RecomputeResult& result) {
  auto companies = state_.companies(tenant);
  if (!companies) {
    metrics_.count_redis_error("policy_recompute");
    return false;
  }
  const std::string now = format_rfc3339_utc_seconds(std::chrono::system_clock::now());
  for (size_t from = 0; from < companies->size(); from += kChunk) {
    const std::vector<std::string> chunk(companies->begin() + static_cast<ptrdiff_t>(from),
                                         companies->begin() + static_cast<ptrdiff_t>(std::min(from + kChunk, companies->size())));
    PolicyBatch batch(state_, day);
    if (auto st = batch.load_companies(tenant, chunk); !st) {
      metrics_.count_redis_error("policy_recompute");
      return false;
    }
    ProduceBatch produce(*producer_, metrics_);
    for (const auto& id : chunk) {
      for (const auto& added : batch.recompute(tenant, id, settings, now).added) {
        const std::string type(canonical::type_name(added.event.record));
        produce.add(config_.topics.canonical, added.key, canonical::to_json(added.event),
                    canonical_headers(tenant, type));
        normalize_metrics_.count_policy_record(tenant, type);
        ++result.records;
      }
    }
    result.companies += chunk.size();
    for (const auto& delivery : produce.wait()) {
      if (!delivery.ok) return false;  // not stored: the retry decides the same again
    }
    if (auto st = batch.commit(); !st) {
      metrics_.count_redis_error("policy_recompute");
      return false;
    }
  }
  return true;
}

}  // namespace switchyard::normalize
