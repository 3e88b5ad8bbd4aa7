// The sync policies' daily recompute (docs/sync-policies.md#daily-recompute): agreements start
// and end by their dates, which no webhook or poll reports. Once a UTC day per tenant (the
// replica that takes the day's lock in Redis), every company the policies know is decided
// again; what changed (a scope left or entered, a summary) is published with trigger
// "recompute". A day that fails part-way is released and tried again at the next check.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

#include "common/kafka_producer.h"
#include "common/metrics.h"
#include "common/redis_client.h"
#include "common/service_config.h"
#include "common/sync_policy_settings.h"
#include "normalize/normalize_metrics.h"
#include "normalize/policy_state.h"

namespace switchyard::normalize {

struct RecomputeResult {
  size_t tenants = 0, companies = 0, records = 0;
  bool failed = false;
};

class PolicyRecompute {
 public:
  PolicyRecompute(const ServiceConfig& config, TenantSyncPolicies policies, Metrics& metrics,
                  std::chrono::seconds check_every);
  ~PolicyRecompute();
  void start();
  void stop();
  // Recomputes every tenant whose day `day` (YYYY-MM-DD) is not done yet (tests call it).
  RecomputeResult run_day(const std::string& day);

 private:
  bool recompute_tenant(const std::string& tenant, const policy::SyncPolicies& settings, const std::string& day,
                        RecomputeResult& result);

  const ServiceConfig& config_;
  TenantSyncPolicies policies_;
  Metrics& metrics_;
  NormalizeMetrics normalize_metrics_;
  std::chrono::seconds check_every_;
  RedisClient redis_;
  PolicyState state_;
  std::unique_ptr<KafkaProducer> producer_;
  std::thread thread_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
};

}  // namespace switchyard::normalize
