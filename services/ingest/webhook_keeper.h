// WebhookKeeper: keeps the webhooks (callbacks) Switchyard registered registered. PSAs switch a
// subscription off after repeated failed deliveries (ConnectWise marks a callback inactive,
// Autotask deactivates a webhook and says so); nothing arrives by webhook until it is registered
// again. For every tenant whose webhooks were registered through the API (remembered in Redis,
// sy:webhooks:{tenant}; forgotten on DELETE), the keeper runs the connector's idempotent
// register_webhooks every `interval`, one replica per tenant per interval (a Redis lock), and at
// once when a PSA reports a deactivation. A registration that changed something was repair:
// recorded as activity (webhook_registration, registered, reason webhook_deactivated); a
// failure as failed with its code. The PSA calls run on the PsaCallWorker.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <set>
#include <string>
#include <thread>

#include "common/activity_log.h"
#include "common/live_tenants.h"
#include "common/service_config.h"
#include "connectors/registry.h"
#include "ingest/psa_call_worker.h"

namespace switchyard::ingest {

std::string webhooks_registered_key(std::string_view tenant);

class WebhookKeeper {
 public:
  // `interval` 0 turns the periodic check off (a reported deactivation still repairs at once).
  WebhookKeeper(const ServiceConfig& config, const LiveTenants& tenants, const connectors::ConnectorRegistry& registry,
                PsaCallWorker& worker, KafkaProducer& producer, Metrics& metrics, std::string public_webhook_url,
                std::chrono::milliseconds interval);
  ~WebhookKeeper();
  void start();
  void stop();
  // A PSA reported that it switched the tenant's webhook off: check it now (any replica).
  void check_now(const std::string& tenant);
  // One pass over the registered tenants whose check is due (tests; the thread calls it).
  void check_due();

 private:
  void loop();
  // Registers again on the PSA-calling worker; waits for it.
  void repair(const TenantRef& tenant, const connectors::Connector& connector, bool reported);

  const ServiceConfig& config_;
  const LiveTenants& tenants_;
  const connectors::ConnectorRegistry& registry_;
  PsaCallWorker& worker_;
  KafkaProducer& producer_;
  ActivityMetrics activity_metrics_;
  std::string public_webhook_url_;
  std::chrono::milliseconds interval_;
  RedisClient redis_;  // the keeper's thread only
  std::mutex mutex_;
  std::condition_variable wake_;
  std::set<std::string> reported_;  // tenants to check at once
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace switchyard::ingest
