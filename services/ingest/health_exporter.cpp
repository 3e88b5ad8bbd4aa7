#include "ingest/health_exporter.h"

#include <set>

#include "common/sync_health.h"
#include "common/time_format.h"

namespace switchyard::ingest {

HealthExporter::HealthExporter(const LiveTenants& tenants, RedisSettings redis, Metrics& metrics,
                               std::chrono::milliseconds interval)
    : tenants_(tenants),
      redis_settings_(std::move(redis)),
      metrics_(metrics),
      interval_(interval),
      last_event_(prometheus::BuildGauge()
                      .Name("switchyard_tenant_last_event_timestamp_seconds")
                      .Help("When the tenant's last change of the entity was published (Unix time)")
                      .Register(metrics.registry())),
      last_poll_(prometheus::BuildGauge()
                     .Name("switchyard_tenant_last_poll_timestamp_seconds")
                     .Help("When the tenant's last poll of the entity succeeded (Unix time)")
                     .Register(metrics.registry())),
      threshold_(prometheus::BuildGauge()
                     .Name("switchyard_tenant_silence_threshold_seconds")
                     .Help("How long the tenant may go without an event before SwitchyardTenantSilent fires")
                     .Register(metrics.registry())),
      test_mode_(prometheus::BuildGauge()
                     .Name("switchyard_tenant_test_mode")
                     .Help("1 while the tenant is in test mode: its commands are recorded as would_send, not written")
                     .Register(metrics.registry())),
      adoption_(metrics) {}

HealthExporter::~HealthExporter() { stop(); }

void HealthExporter::start() {
  std::lock_guard lock(mutex_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { loop(); });
}

void HealthExporter::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void HealthExporter::loop() {
  RedisClient redis(redis_settings_);
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    lock.unlock();
    export_once(redis);
    lock.lock();
    wake_.wait_for(lock, interval_, [this] { return stopping_; });
  }
}

void HealthExporter::export_once(RedisClient& redis) {
  const TenantSnapshot snapshot = tenants_.snapshot();
  std::set<std::string> configured;
  for (const auto& tenant : snapshot->all()) {
    configured.insert(tenant.id);
    auto health = read_sync_health(redis, tenant.id);
    if (!health) {
      metrics_.count_redis_error("sync_health");
      continue;  // the last values stay: a Redis blip must not look like silence
    }
    auto& series = series_[tenant.id];
    series.clear();
    auto& threshold = threshold_.Add({{"tenant", tenant.id}});
    threshold.Set(static_cast<double>(std::chrono::duration_cast<std::chrono::seconds>(tenant.silence_threshold).count()));
    series.push_back(&threshold);
    auto& test_mode = test_mode_.Add({{"tenant", tenant.id}});
    test_mode.Set(tenant.test_mode ? 1 : 0);
    series.push_back(&test_mode);
    for (const auto& [entity, h] : health->entities) {
      if (!h.last_event.empty()) {
        auto& g = last_event_.Add({{"tenant", tenant.id}, {"entity", entity}});
        g.Set(epoch_seconds(h.last_event));
        series.push_back(&g);
      }
      if (!h.last_poll.empty()) {
        auto& g = last_poll_.Add({{"tenant", tenant.id}, {"entity", entity}});
        g.Set(epoch_seconds(h.last_poll));
        series.push_back(&g);
      }
    }
  }
  adoption_.export_once(redis, configured);
  for (auto it = series_.begin(); it != series_.end();) {
    if (configured.contains(it->first)) {
      ++it;
      continue;
    }
    for (prometheus::Gauge* g : it->second) {
      last_event_.Remove(g);
      last_poll_.Remove(g);
      threshold_.Remove(g);
      test_mode_.Remove(g);
    }
    it = series_.erase(it);
  }
}

}  // namespace switchyard::ingest
