// HealthExporter: the tenants' sync health (common/sync_health.h) as gauges, read from Redis
// every `interval` on its own thread, so Prometheus sees the same times from every ingest
// replica (max over pods is the truth) and the SwitchyardTenantSilent alert can compare them
// with each tenant's threshold:
//   switchyard_tenant_last_event_timestamp_seconds{tenant,entity}
//   switchyard_tenant_last_poll_timestamp_seconds{tenant,entity}
//   switchyard_tenant_silence_threshold_seconds{tenant}
//   switchyard_tenant_test_mode{tenant}  1 while the tenant is in test mode (docs/test-mode.md)
// and, by the same pass, each tenant's adoption (ingest/adoption_exporter.h).
// Series of tenants no longer configured are removed.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>

#include "common/live_tenants.h"
#include "common/metrics.h"
#include "common/redis_client.h"
#include "ingest/adoption_exporter.h"

namespace switchyard::ingest {

class HealthExporter {
 public:
  HealthExporter(const LiveTenants& tenants, RedisSettings redis, Metrics& metrics, std::chrono::milliseconds interval);
  ~HealthExporter();
  void start();
  void stop();
  // One pass (tests; the thread calls it every interval).
  void export_once(RedisClient& redis);

 private:
  void loop();

  const LiveTenants& tenants_;
  RedisSettings redis_settings_;
  Metrics& metrics_;
  std::chrono::milliseconds interval_;
  prometheus::Family<prometheus::Gauge>& last_event_;
  prometheus::Family<prometheus::Gauge>& last_poll_;
  prometheus::Family<prometheus::Gauge>& threshold_;
  prometheus::Family<prometheus::Gauge>& test_mode_;
  AdoptionExporter adoption_;
  // The series set last pass, by tenant, to remove those of tenants gone.
  std::map<std::string, std::vector<prometheus::Gauge*>> series_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace switchyard::ingest
