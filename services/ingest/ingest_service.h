// IngestService: the ingest process minus main(): three HTTP listeners, one per audience
// (docs/configuration.md#listeners): webhooks (public), the vendor API (commands, sync,
// connection tests, activity, replays) and operators (admin routes, and the console with the
// tenant routes it calls, docs/console.md); the Kafka producer and the poller. Tests run it
// in-process on free ports. A route asked for on another audience's listener answers 404.
#pragma once

#include <chrono>
#include <memory>

#include "common/api_tokens.h"
#include "common/audit.h"
#include "common/background_readiness.h"
#include "common/config_change_audit.h"
#include "common/heartbeats.h"
#include "common/http_server.h"
#include "common/kafka_audit_trail.h"
#include "common/kafka_producer.h"
#include "common/metrics.h"
#include "common/redis_worker.h"
#include "common/service_config.h"
#include "common/live_tenants.h"
#include "common/tenant_reloader.h"
#include "connectors/registry.h"
#include "ingest/activity_handler.h"
#include "ingest/adoption_handler.h"
#include "ingest/command_handler.h"
#include "ingest/console_api.h"
#include "ingest/dead_letter_replay_handler.h"
#include "ingest/connection_test_handler.h"
#include "ingest/envelope_publisher.h"
#include "ingest/erasure_handler.h"
#include "ingest/fetch_job_runner.h"
#include "ingest/health_exporter.h"
#include "ingest/ingest_metrics.h"
#include "ingest/lookup_handler.h"
#include "ingest/offboard_handler.h"
#include "ingest/poller.h"
#include "ingest/psa_call_worker.h"
#include "ingest/sync_handler.h"
#include "ingest/webhook_handler.h"
#include "ingest/webhook_keeper.h"
#include "ingest/webhook_registration_handler.h"

namespace switchyard::ingest {

struct IngestOptions {
  size_t max_body_bytes = 256 * 1024;  // webhooks larger than this get 413
  size_t http_threads = 2;  // the webhook listener's io threads; the API and operator listeners have one each
  bool polling = true;  // run the poll workers for tenants with poll.enabled (sync requests are served either way)
  ApiTokens api_tokens;  // who may post commands, for which tenants; none = endpoint closed
  // Where PSAs reach the webhook listener (SWITCHYARD_PUBLIC_WEBHOOK_URL), for registering webhooks.
  std::string public_webhook_url;
  // How often /readyz's answer (Kafka reachable) is refreshed in the background.
  std::chrono::milliseconds readiness_interval{1000};
  PollerOptions poller;
  // Run the fetch jobs of partial webhooks (SWITCHYARD_FETCH_JOBS); every replica that does
  // shares them through one consumer group.
  bool fetch_jobs = true;
  FetchJobOptions fetch;
  // How often the tenants' sync health is read from Redis into gauges (SWITCHYARD_HEALTH_EXPORT_SECONDS).
  std::chrono::milliseconds health_export_interval{30000};
  // How often registered webhooks are checked and repaired (SWITCHYARD_WEBHOOK_CHECK_SECONDS); 0 = only
  // when a PSA reports one switched off.
  std::chrono::milliseconds webhook_check_interval{3600000};
  // The set-up lists' cache (SWITCHYARD_LOOKUP_CACHE_SECONDS).
  LookupOptions lookup;
  // Where admin actions are recorded instead of the audit topic (tests that read the records in
  // memory); must outlive the service. Null: the audit topic (common/kafka_audit_trail.h).
  AuditTrail* audit = nullptr;
};

class IngestService {
 public:
  IngestService(ServiceConfig config, IngestOptions options, TenantDirectory tenants,
                const connectors::ConnectorRegistry& registry);
  ~IngestService();

  void start();
  void stop();  // stops HTTP first (no new work), then the poller, then flushes the producer
  // The bound port of each listener (after start(); 0 for a listener that is off).
  uint16_t webhook_port() const { return webhook_server_ ? webhook_server_->port() : 0; }
  uint16_t api_port() const { return api_server_ ? api_server_->port() : 0; }
  uint16_t operator_port() const { return operator_server_->port(); }
  Poller& poller() { return *poller_; }
  FetchJobRunner* fetch_jobs() { return fetch_jobs_.get(); }
  Metrics& metrics() { return metrics_; }
  // Where every admin action of this process is recorded (the audit topic).
  AuditTrail& audit() { return *audit_trail_; }
  // The watched loops behind /healthz (tests register a beat of their own to see it fail).
  Heartbeats& heartbeats() { return heartbeats_; }
  // The tenants in force; reloaded from config.tenants_file every config.tenants_reload_interval.
  LiveTenants& tenants() { return tenants_; }
  // nullptr without config.tenants_file (tests that pass the tenants in).
  TenantReloader* tenant_reloader() { return reloader_.get(); }

 private:
  // Wraps a handler to record its requests by route and status (switchyard_http_*).
  http::Handler instrumented(std::string route, http::Handler handler);
  // The tenant routes on `server` (the API listener, and the operator listener for the console).
  void add_tenant_routes(http::HttpServer& server);

  ServiceConfig config_;
  IngestOptions options_;
  LiveTenants tenants_;
  Metrics metrics_;
  Heartbeats heartbeats_;
  std::unique_ptr<TenantReloader> reloader_;
  std::unique_ptr<ConfigChangeAudit> config_audit_;  // with reloader_: records its changes
  IngestMetrics ingest_metrics_;
  std::unique_ptr<KafkaProducer> producer_;
  std::unique_ptr<KafkaAuditTrail> audit_;  // over producer_; its reports touch only metrics_
  AuditTrail* audit_trail_ = nullptr;       // options.audit, else audit_: what every admin action records to
  std::unique_ptr<EnvelopePublisher> publisher_;
  std::unique_ptr<EnvelopePublisher> backfill_publisher_;
  std::unique_ptr<WebhookHandler> webhooks_;
  std::unique_ptr<CommandHandler> commands_;
  std::unique_ptr<Poller> poller_;
  std::unique_ptr<SyncHandler> sync_;
  std::unique_ptr<BackgroundReadiness> readiness_;
  std::unique_ptr<http::HttpServer> webhook_server_;   // null when SWITCHYARD_WEBHOOK_LISTEN=off
  std::unique_ptr<http::HttpServer> api_server_;       // null when SWITCHYARD_API_LISTEN=off
  std::unique_ptr<http::HttpServer> operator_server_;
  std::unique_ptr<ConnectionTestHandler> connection_tests_;
  std::unique_ptr<WebhookRegistrationHandler> webhook_registration_;
  std::unique_ptr<ActivityHandler> activity_;
  std::unique_ptr<ActivityHandler> dead_letters_;
  std::unique_ptr<ActivityHandler> health_;
  std::unique_ptr<AdoptionHandler> adoption_;
  std::unique_ptr<HealthExporter> health_exporter_;
  std::unique_ptr<WebhookKeeper> keeper_;  // with the API listener (registration happens there)
  std::unique_ptr<DeadLetterReplayHandler> replays_;
  std::unique_ptr<ConsoleApi> console_api_;  // the tenant list and the reason catalogue
  std::unique_ptr<LookupHandler> lookups_;   // GET /v1/tenants/{tenant}/psa/{list}
  std::unique_ptr<ErasureHandler> erasure_;  // POST /v1/tenants/{tenant}/erasure
  std::unique_ptr<OffboardHandler> offboard_;  // POST /v1/tenants/{tenant}/offboard
  // Offboarding's SCANs, on a thread of their own; destroyed after the PSA-calling worker, whose
  // offboarding jobs hand their key removal to it.
  std::unique_ptr<RedisWorker> offboard_redis_;
  // After the servers: destroyed first, so jobs still queued are answered while they exist.
  std::unique_ptr<PsaCallWorker> psa_calls_;
  std::unique_ptr<RedisWorker> redis_reads_;    // the API's reads of Redis (activity, dead letters)
  std::unique_ptr<RedisWorker> replay_worker_;  // dead-letter replays
  std::unique_ptr<RedisWorker> erasure_worker_;  // erasures (scans of a tenant's keys)
  std::unique_ptr<FetchJobRunner> fetch_jobs_;  // null when options.fetch_jobs is false
  bool started_ = false;
};

}  // namespace switchyard::ingest
