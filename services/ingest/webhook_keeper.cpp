#include "ingest/webhook_keeper.h"

#include <future>

#include "common/log.h"
#include "ingest/webhook_registration_handler.h"

namespace switchyard::ingest {

std::string webhooks_registered_key(std::string_view tenant) {
  std::string key = "sy:webhooks:{";
  key.append(tenant).append("}");
  return key;
}

WebhookKeeper::WebhookKeeper(const ServiceConfig& config, const LiveTenants& tenants,
                             const connectors::ConnectorRegistry& registry, PsaCallWorker& worker,
                             KafkaProducer& producer, Metrics& metrics, std::string public_webhook_url,
                             std::chrono::milliseconds interval)
    : config_(config),
      tenants_(tenants),
      registry_(registry),
      worker_(worker),
      producer_(producer),
      activity_metrics_(metrics),
      public_webhook_url_(std::move(public_webhook_url)),
      interval_(interval),
      redis_(config.redis) {}

WebhookKeeper::~WebhookKeeper() { stop(); }

void WebhookKeeper::start() {
  std::lock_guard lock(mutex_);
  if (thread_.joinable() || public_webhook_url_.empty()) return;  // nothing was registered from here
  stopping_ = false;
  thread_ = std::thread([this] { loop(); });
}

void WebhookKeeper::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void WebhookKeeper::check_now(const std::string& tenant) {
  {
    std::lock_guard lock(mutex_);
    reported_.insert(tenant);
  }
  wake_.notify_all();
}

void WebhookKeeper::loop() {
  // The periodic pass at most every interval; reported tenants at once. With the check off,
  // wake only for reports.
  const auto period = interval_.count() > 0 ? interval_ : std::chrono::milliseconds(std::chrono::hours(24 * 365));
  auto next = std::chrono::steady_clock::now() + (interval_.count() > 0 ? std::min(period, std::chrono::milliseconds(60000))
                                                                        : period);
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    wake_.wait_until(lock, next, [this] { return stopping_ || !reported_.empty(); });
    if (stopping_) return;
    std::set<std::string> reported;
    reported.swap(reported_);
    const bool periodic = std::chrono::steady_clock::now() >= next;
    lock.unlock();
    for (const auto& id : reported) {
      const TenantRef tenant = tenants_.find(id);
      // A paused tenant is left alone, as by the periodic pass: it is paused to stop touching its
      // PSA, often on the way to offboarding, which must not find its webhooks back.
      if (tenant == nullptr || tenant->paused) continue;
      // Only webhooks Switchyard registered: a partner's own set-up is theirs to repair.
      auto registered = redis_.command({"EXISTS", webhooks_registered_key(id)});
      if (!registered || registered->integer != 1) continue;
      const connectors::Connector* connector = registry_.find(tenant->psa);
      if (connector != nullptr) repair(tenant, *connector, true);
    }
    if (periodic) {
      check_due();
      next = std::chrono::steady_clock::now() + period;
    }
    lock.lock();
  }
}

void WebhookKeeper::check_due() {
  const TenantSnapshot snapshot = tenants_.snapshot();
  for (const auto& t : snapshot->all()) {
    if (t.paused) continue;
    auto registered = redis_.command({"EXISTS", webhooks_registered_key(t.id)});
    if (!registered || registered->integer != 1) continue;
    // One replica per tenant per interval.
    const auto ttl_s = std::max<int64_t>(1, std::chrono::duration_cast<std::chrono::seconds>(interval_).count());
    auto lock = redis_.command({"SET", webhooks_registered_key(t.id) + ":checked", "1", "NX", "EX", std::to_string(ttl_s)});
    if (!lock || lock->type != RedisReply::Type::Status) continue;
    const TenantRef tenant = tenants_.find(t.id);
    const connectors::Connector* connector = tenant ? registry_.find(tenant->psa) : nullptr;
    if (connector != nullptr) repair(tenant, *connector, false);
  }
}

void WebhookKeeper::repair(const TenantRef& tenant, const connectors::Connector& connector, bool reported) {
  const std::string url = WebhookRegistrationHandler::callback_url(public_webhook_url_, *tenant);
  auto done = std::make_shared<std::promise<void>>();
  auto finished = done->get_future();
  const bool queued = worker_.submit(
      tenant, connector,
      [this, url, reported, done](PsaCall& call) {
        auto registered = call.connector.register_webhooks(call.tenant, call.http, url);
        ActivityRecord a;
        a.tenant = call.tenant.id;
        a.kind = activity::kWebhooks;
        if (!registered) {
          a.outcome = activity::kFailed;
          a.reason = registered.error().code;
          a.message = "checking the webhooks failed: " + registered.error().message;
        } else if (registered->changed) {
          a.outcome = activity::kRegistered;
          a.reason = "webhook_deactivated";
          a.message = "the PSA had switched off or removed Switchyard's webhooks; registered again";
        } else if (reported) {
          a.outcome = activity::kCompleted;
          a.message = "the PSA reported a webhook switched off, but every one is registered and active";
        }
        if (!a.outcome.empty() && call.redis != nullptr) {
          ActivityLog(config_.activity, "ingest", *call.redis, producer_, activity_metrics_).record(a);
        }
        if (registered && registered->changed) {
          log::warn("webhooks registered again: the PSA had switched them off",
                    {{"tenant", call.tenant.id}, {"psa", call.tenant.psa}});
        }
        done->set_value();
      },
      [done] { done->set_value(); });
  if (!queued) return;  // the worker is busy: the next pass tries again
  finished.wait_for(std::chrono::seconds(60));
}

}  // namespace switchyard::ingest
