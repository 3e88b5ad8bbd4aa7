// AdoptionExporter: each configured tenant's adoption (common/adoption.h) as gauges, read from
// Redis by HealthExporter's pass (the same timer and connection), so every ingest replica shows
// the same values (max over pods is the truth):
//   switchyard_tenant_activated_timestamp_seconds{tenant}             its first successful connection test
//   switchyard_tenant_first_value_timestamp_seconds{tenant,milestone} ticket_created, agreement_synced
//   switchyard_tenant_time_to_first_value_seconds{tenant,milestone}   from activation to the milestone
//   switchyard_tenant_workflow_uses{tenant,kind,workflow}             successful uses since onboarding
//   switchyard_tenant_errors{tenant,reason}                           problem records since onboarding
// The counts are gauges that mirror counters kept in Redis (no _total: a gauge may not carry
// it); use increase() / delta() over them as over counters. Series of tenants no longer
// configured, and of values no longer in Redis, are removed.
#pragma once

#include <map>
#include <set>
#include <string>

#include "common/metrics.h"
#include "common/redis_client.h"

namespace switchyard::ingest {

class AdoptionExporter {
 public:
  explicit AdoptionExporter(Metrics& metrics);
  // Reads (in one round trip) and exports each of `tenants`; removes the series of every other
  // tenant. When the read fails every series keeps its last value (a Redis blip must not look
  // like a reset), counted in switchyard_redis_errors_total{operation="adoption_read"}.
  void export_once(RedisClient& redis, const std::set<std::string>& tenants);

 private:
  using Series = std::set<std::pair<prometheus::Family<prometheus::Gauge>*, prometheus::Gauge*>>;
  void remove(const Series& series);

  Metrics& metrics_;
  prometheus::Family<prometheus::Gauge>& activated_;
  prometheus::Family<prometheus::Gauge>& first_value_;
  prometheus::Family<prometheus::Gauge>& time_to_value_;
  prometheus::Family<prometheus::Gauge>& uses_;
  prometheus::Family<prometheus::Gauge>& errors_;
  std::map<std::string, Series> series_;  // by tenant: the series set last pass
};

}  // namespace switchyard::ingest
