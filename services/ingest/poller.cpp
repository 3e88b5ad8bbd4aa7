#include "ingest/poller.h"

#include "common/log.h"
#include "common/time_format.h"
#include "connectors/instrumented_psa_http.h"
#include "ingest/change_envelopes.h"

namespace switchyard::ingest {

Poller::Poller(const TenantDirectory& tenants, const connectors::ConnectorRegistry& registry,
               EnvelopePublisher& publisher, RedisSettings redis, Metrics& metrics, IngestMetrics& ingest_metrics,
               PollerOptions options)
    : tenants_(tenants), registry_(registry), publisher_(publisher), redis_(std::move(redis)), metrics_(metrics),
      ingest_metrics_(ingest_metrics), options_(std::move(options)) {}

Poller::~Poller() { stop(); }

std::string Poller::watermark_key(const Tenant& tenant, const std::string& entity) const {
  return options_.watermark_prefix + tenant.id + ":" + entity;
}

Result<size_t> Poller::poll_now(const Tenant& tenant, const std::string& entity) {
  std::lock_guard lock(mutex_);
  const connectors::Connector* connector = registry_.find(tenant.psa);
  if (connector == nullptr) return make_error("unknown_psa", "no connector for " + tenant.psa);

  const std::string key = watermark_key(tenant, entity);
  auto stored = redis_.command({"GET", key});
  if (!stored) return stored.error();
  std::string since = stored->is_nil()
                          ? format_rfc3339_utc_seconds(std::chrono::system_clock::now() - options_.initial_lookback)
                          : stored->str;

  connectors::InstrumentedPsaHttp psa_http(http_, metrics_, tenant.psa);
  auto result = connector->poll(tenant, psa_http, {entity, since});
  if (!result) {
    ingest_metrics_.count_poll(tenant.id, entity, false);
    return result.error();
  }
  const size_t count = result->changes.size();
  if (count > 0) {
    std::string error;
    if (!publisher_.publish_and_wait(to_envelopes(tenant, std::move(result->changes), "poll"), error)) {
      ingest_metrics_.count_poll(tenant.id, entity, false);
      return make_error("kafka_unavailable", "poll results not stored: " + error);
    }
    ingest_metrics_.count_accepted(tenant.id, tenant.psa, "poll", count);
    if (!result->high_watermark.empty() && result->high_watermark != since) {
      if (auto set = redis_.command({"SET", key, result->high_watermark}); !set) return set.error();
    }
  }
  ingest_metrics_.count_poll(tenant.id, entity, true);
  return count;
}

bool Poller::take_lease(const Tenant& tenant, const std::string& entity) {
  std::lock_guard lock(mutex_);
  const auto ttl_ms = std::chrono::duration_cast<std::chrono::milliseconds>(tenant.poll.interval).count();
  auto reply = redis_.command({"SET", options_.lease_prefix + tenant.id + ":" + entity, "1", "NX", "PX",
                               std::to_string(std::max<int64_t>(ttl_ms - 100, 100))});
  if (!reply) {
    log::warn("poll lease unavailable (redis)", {{"tenant", tenant.id}, {"error", reply.error().message}});
    return false;
  }
  return reply->type == RedisReply::Type::Status;  // "OK"; nil when another replica holds it
}

void Poller::start() {
  thread_ = std::thread([this] { run(); });
}

void Poller::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Poller::run() {
  using clock = std::chrono::steady_clock;
  std::map<std::string, clock::time_point> due;  // tenant/entity → next poll
  for (;;) {
    const auto now = clock::now();
    auto next_wake = now + std::chrono::seconds(60);
    for (const Tenant& tenant : tenants_.all()) {
      if (!tenant.poll.enabled) continue;
      for (const std::string& entity : tenant.poll.entities) {
        const std::string id = tenant.id + "/" + entity;
        auto [it, inserted] = due.try_emplace(id, now);
        if (it->second <= now && take_lease(tenant, entity)) {
          if (auto r = poll_now(tenant, entity); !r) {
            log::warn("poll failed", {{"tenant", tenant.id}, {"entity", entity}, {"error", r.error().message}});
          } else if (*r > 0) {
            log::info("poll found changes", {{"tenant", tenant.id}, {"entity", entity}, {"changes", *r}});
          }
        }
        if (it->second <= now) it->second = clock::now() + tenant.poll.interval;
        next_wake = std::min(next_wake, it->second);
      }
    }
    std::unique_lock lock(mutex_);
    if (wake_.wait_until(lock, next_wake, [this] { return stopping_; })) return;
  }
}

}  // namespace switchyard::ingest
