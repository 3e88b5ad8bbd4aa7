#include "ingest/ingest_service.h"

#include <map>

#include "common/admin_routes.h"
#include "ingest/audited_route.h"
#include "ingest/console_routes.h"
#include "common/log.h"
#include "common/topics.h"

namespace switchyard::ingest {

IngestService::IngestService(ServiceConfig config, IngestOptions options, TenantDirectory tenants,
                           const connectors::ConnectorRegistry& registry)
    : config_(std::move(config)),
      options_(std::move(options)),
      tenants_(std::move(tenants)),
      heartbeats_(config_.liveness_timeout),
      ingest_metrics_(metrics_) {
  options_.poller.heartbeats = &heartbeats_;
  options_.poller.activity = config_.activity;
  // A config written before fetch jobs existed names no topic for them: the default one.
  if (config_.topics.fetch_jobs.empty()) config_.topics.fetch_jobs = std::string(topics::kFetchJobs);
  auto producer = KafkaProducer::create(config_.kafka);
  if (!producer) throw ConfigError("kafka producer: " + producer.error().message);
  producer_ = std::move(*producer);
  // A config written before the audit topic existed names none: the default one.
  if (config_.topics.audit.empty()) config_.topics.audit = std::string(topics::kAudit);
  audit_ = std::make_unique<KafkaAuditTrail>(*producer_, config_.topics.audit, "ingest", metrics_);
  audit_trail_ = options_.audit != nullptr ? options_.audit : audit_.get();
  publisher_ = std::make_unique<EnvelopePublisher>(*producer_, metrics_, config_.topics.raw);
  // Backfills go to their own topic (topics::kRawBackfill); without one configured, to raw.
  backfill_publisher_ = std::make_unique<EnvelopePublisher>(
      *producer_, metrics_, config_.topics.raw_backfill.empty() ? config_.topics.raw : config_.topics.raw_backfill);
  psa_calls_ = std::make_unique<PsaCallWorker>(
      config_.redis, metrics_, PsaCallWorkerOptions{.rate_limit_prefix = options_.poller.rate_limit_prefix});
  webhooks_ = std::make_unique<WebhookHandler>(tenants_, registry, *publisher_, ingest_metrics_, *psa_calls_,
                                             config_.topics.fetch_jobs);
  if (options_.fetch_jobs) {
    options_.fetch.heartbeats = &heartbeats_;
    options_.fetch.rate_limit_prefix = options_.poller.rate_limit_prefix;
    fetch_jobs_ = std::make_unique<FetchJobRunner>(config_, options_.fetch, tenants_, registry, *producer_, metrics_,
                                                 ingest_metrics_);
  }
  commands_ = std::make_unique<CommandHandler>(tenants_, *producer_, metrics_, ingest_metrics_,
                                             config_.topics.commands, options_.api_tokens);
  poller_ = std::make_unique<Poller>(tenants_, registry, *publisher_, *backfill_publisher_, config_.redis, metrics_,
                                   ingest_metrics_, options_.poller);
  sync_ = std::make_unique<SyncHandler>(tenants_, registry, *poller_, *publisher_, config_.topics.fetch_jobs,
                                      ingest_metrics_, options_.api_tokens);
  tenants_.on_change([this](const TenantSnapshot& now) { poller_->apply(*now); });
  if (!config_.tenants_file.empty()) {
    reloader_ = std::make_unique<TenantReloader>(tenants_, config_.tenants_file, connectors::spec_lookup(registry), Env(),
                                               config_.tenants_reload_interval, metrics_, &heartbeats_);
    // Changes that arrive through the tenants file are admin actions too: recorded once for all replicas.
    config_audit_ = std::make_unique<ConfigChangeAudit>(*audit_trail_, config_.redis, config_.tenants_file);
    reloader_->on_applied([this](const TenantChanges& changes) { config_audit_->record(changes); });
  }

  // Public: the PSAs' webhooks only.
  if (config_.webhook_listen.enabled) {
    http::ServerOptions webhook_options =
        listener_options(config_.webhook_listen, options_.http_threads, heartbeats_, "http-webhooks");
    webhook_options.max_body_bytes = options_.max_body_bytes;
    webhook_server_ = std::make_unique<http::HttpServer>(webhook_options);
    // With the tenant's URL secret as the last segment, for PSAs that sign nothing (or as a
    // second factor). Both are counted as route "webhook": the secret never becomes a label.
    for (const char* pattern : {"/v1/webhooks/{psa}/{tenant}", "/v1/webhooks/{psa}/{tenant}/{secret}"}) {
      webhook_server_->route("POST", pattern, instrumented("webhook", [this](http::Request&& r, http::Responder respond) {
                             webhooks_->handle(std::move(r), std::move(respond));
                           }));
    }
  }
  // The vendor platform, with tenant-scoped tokens: commands, sync now and connection tests.
  if (config_.api_listen.enabled) {
    http::ServerOptions api_options = listener_options(config_.api_listen, 1, heartbeats_, "http-api");
    api_options.max_body_bytes = options_.max_body_bytes;
    api_server_ = std::make_unique<http::HttpServer>(api_options);
    api_server_->route("POST", "/v1/tenants/{tenant}/commands",
                     instrumented("command", [this](http::Request&& r, http::Responder respond) {
                       commands_->handle(std::move(r), std::move(respond));
                     }));
    connection_tests_ = std::make_unique<ConnectionTestHandler>(tenants_, registry, *psa_calls_, metrics_,
                                                              ingest_metrics_, options_.api_tokens,
                                                              config_.activity, *producer_);
    keeper_ = std::make_unique<WebhookKeeper>(config_, tenants_, registry, *psa_calls_, *producer_, metrics_,
                                            options_.public_webhook_url, options_.webhook_check_interval);
    webhooks_->on_deactivated([this](const std::string& tenant) { keeper_->check_now(tenant); });
    webhook_registration_ = std::make_unique<WebhookRegistrationHandler>(
        tenants_, registry, *psa_calls_, ingest_metrics_, options_.api_tokens, options_.public_webhook_url);
    for (const char* method : {"POST", "DELETE"}) {
      const std::string action = std::string(method) == "POST" ? "webhooks_register" : "webhooks_unregister";
      api_server_->route(method, "/v1/tenants/{tenant}/webhooks",
                       instrumented("webhooks", audited(*audit_trail_, options_.api_tokens, action,
                                                        [this](http::Request&& r, http::Responder respond) {
                                                          webhook_registration_->handle(std::move(r), std::move(respond));
                                                        })));
    }
    redis_reads_ = std::make_unique<RedisWorker>(config_.redis);
    // Replays wait for Kafka; on their own thread they never hold up the activity reads.
    replay_worker_ = std::make_unique<RedisWorker>(config_.redis, 4);
    activity_ = std::make_unique<ActivityHandler>(
        TenantAdminRoute{"activity", ApiScope::Read, options_.api_tokens, tenants_, registry, ingest_metrics_},
        *redis_reads_, ActivityHandler::View::Activity);
    dead_letters_ = std::make_unique<ActivityHandler>(
        TenantAdminRoute{"dead_letters", ApiScope::Read, options_.api_tokens, tenants_, registry, ingest_metrics_},
        *redis_reads_, ActivityHandler::View::DeadLetters);
    health_ = std::make_unique<ActivityHandler>(
        TenantAdminRoute{"health", ApiScope::Read, options_.api_tokens, tenants_, registry, ingest_metrics_},
        *redis_reads_, ActivityHandler::View::Health);
    adoption_ = std::make_unique<AdoptionHandler>(
        TenantAdminRoute{"adoption", ApiScope::Read, options_.api_tokens, tenants_, registry, ingest_metrics_},
        *redis_reads_);
    auto reader = KafkaReader::create(config_.kafka);
    if (!reader) log::error("dead-letter reader not created: replays answer 503", {{"error", reader.error().message}});
    replays_ = std::make_unique<DeadLetterReplayHandler>(
        TenantAdminRoute{"replay", ApiScope::Replay, options_.api_tokens, tenants_, registry, ingest_metrics_},
        *replay_worker_, config_, reader ? std::move(*reader) : nullptr, *producer_, metrics_);
    erasure_worker_ = std::make_unique<RedisWorker>(config_.redis, 4);
    erasure_ = std::make_unique<ErasureHandler>(
        TenantAdminRoute{"erasure", ApiScope::Admin, options_.api_tokens, tenants_, registry, ingest_metrics_},
        *erasure_worker_, *producer_, config_.topics.canonical, *audit_trail_, metrics_,
        ErasureKeys{.lookup_prefix = options_.lookup.key_prefix});
    console_api_ = std::make_unique<ConsoleApi>(options_.api_tokens, tenants_, registry, ingest_metrics_);
    lookups_ = std::make_unique<LookupHandler>(
        TenantAdminRoute{"lookup", ApiScope::Read, options_.api_tokens, tenants_, registry, ingest_metrics_},
        *psa_calls_, metrics_, options_.lookup);
    offboard_redis_ = std::make_unique<RedisWorker>(config_.redis, 4);
    offboard_ = std::make_unique<OffboardHandler>(
        TenantAdminRoute{"offboard", ApiScope::Admin, options_.api_tokens, tenants_, registry, ingest_metrics_},
        *psa_calls_, *offboard_redis_, *audit_trail_, options_.public_webhook_url);
    api_server_->route("POST", "/v1/tenants/{tenant}/offboard",
                       instrumented("offboard", [this](http::Request&& r, http::Responder respond) {
                         offboard_->handle(std::move(r), std::move(respond));
                       }));
    add_tenant_routes(*api_server_);
  }
  // The metadata request blocks for up to a second when Kafka is down: never on an IO thread.
  readiness_ = std::make_unique<BackgroundReadiness>(
      [this]() -> std::string {
        return producer_->reachable(std::chrono::milliseconds(1000)) ? "" : "kafka unreachable";
      },
      options_.readiness_interval);
  health_exporter_ = std::make_unique<HealthExporter>(tenants_, config_.redis, metrics_, options_.health_export_interval);
  // Operators: /metrics and the probes.
  operator_server_ =
      make_operator_server(config_.operator_listen, metrics_, [this] { return readiness_->current(); }, heartbeats_);
  // The operator console, with the tenant routes it calls on the same origin (docs/console.md).
  if (api_server_) {
    add_console_routes(*operator_server_);
    add_tenant_routes(*operator_server_);
  }
}

// What the vendor platform and the console both call; each route asks for its own scope.
void IngestService::add_tenant_routes(http::HttpServer& server) {
  struct Route {
    const char* method;
    const char* pattern;
    const char* name;  // the metrics label
    http::Handler handler;
  };
  // The admin actions among them, by route: each request leaves an audit record (ingest/audited_route.h).
  const std::map<std::string_view, const char*> audit_actions = {
      {"sync", "sync"}, {"replay", "replay"}, {"connection_test", "connection_test"}};
  const Route routes[] = {
      {"GET", "/v1/tenants", "tenants", [this](auto&& r, auto respond) { console_api_->tenants(std::move(r), std::move(respond)); }},
      {"GET", "/v1/reasons/{code}", "reasons",
       [this](auto&& r, auto respond) { console_api_->reason(std::move(r), std::move(respond)); }},
      {"POST", "/v1/tenants/{tenant}/sync", "sync", [this](auto&& r, auto respond) { sync_->handle(std::move(r), std::move(respond)); }},
      {"GET", "/v1/tenants/{tenant}/activity", "activity",
       [this](auto&& r, auto respond) { activity_->handle(std::move(r), std::move(respond)); }},
      {"GET", "/v1/tenants/{tenant}/dead-letters", "dead_letters",
       [this](auto&& r, auto respond) { dead_letters_->handle(std::move(r), std::move(respond)); }},
      {"GET", "/v1/tenants/{tenant}/health", "health",
       [this](auto&& r, auto respond) { health_->handle(std::move(r), std::move(respond)); }},
      {"GET", "/v1/tenants/{tenant}/adoption", "adoption",
       [this](auto&& r, auto respond) { adoption_->handle(std::move(r), std::move(respond)); }},
      {"GET", "/v1/adoption", "adoption_all", [this](auto&& r, auto respond) { adoption_->all(std::move(r), std::move(respond)); }},
      {"POST", "/v1/tenants/{tenant}/dead-letters/replay", "replay",
       [this](auto&& r, auto respond) { replays_->handle(std::move(r), std::move(respond)); }},
      {"POST", "/v1/tenants/{tenant}/connection-test", "connection_test",
       [this](auto&& r, auto respond) { connection_tests_->handle(std::move(r), std::move(respond)); }},
      // Audited by its handler, whose record carries what was erased (ingest/erasure_handler.h).
      {"POST", "/v1/tenants/{tenant}/erasure", "erasure",
       [this](auto&& r, auto respond) { erasure_->handle(std::move(r), std::move(respond)); }},
      {"GET", "/v1/tenants/{tenant}/psa/{list}", "lookup", [this](auto&& r, auto respond) { lookups_->handle(std::move(r), std::move(respond)); }},
  };
  for (const Route& route : routes) {
    const auto action = audit_actions.find(route.name);
    http::Handler handler = action == audit_actions.end()
                                ? route.handler
                                : audited(*audit_trail_, options_.api_tokens, action->second, route.handler);
    server.route(route.method, route.pattern, instrumented(route.name, std::move(handler)));
  }
}

IngestService::~IngestService() { stop(); }

http::Handler IngestService::instrumented(std::string route, http::Handler handler) {
  return [this, route = std::move(route), handler = std::move(handler)](http::Request&& r, http::Responder respond) {
    const auto start = std::chrono::steady_clock::now();
    handler(std::move(r), [this, route, start, respond = std::move(respond)](http::Response response) {
      metrics_.observe_http(route, response.status,
                          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
      respond(std::move(response));
    });
  };
}

void IngestService::start() {
  readiness_->start();
  // Before the server: a sync request is served from the first request on. Without polling
  // it still records sync requests (other replicas poll).
  poller_->start(options_.polling);
  if (fetch_jobs_) fetch_jobs_->start();
  if (reloader_) reloader_->start();
  health_exporter_->start();
  if (keeper_) keeper_->start();
  // Operator first: a probe or scrape never finds the process serving traffic but not itself.
  operator_server_->start();
  if (api_server_) api_server_->start();
  if (webhook_server_) webhook_server_->start();
  started_ = true;
  log::info("ingest started", {{"webhook_port", static_cast<int64_t>(webhook_port())},
                             {"api_port", static_cast<int64_t>(api_port())},
                             {"operator_port", static_cast<int64_t>(operator_port())},
                             {"tenants", static_cast<int64_t>(tenants_.size())}});
}

void IngestService::stop() {
  if (!started_) return;
  started_ = false;
  // The traffic listeners first (no new work), then the operator listener.
  if (webhook_server_) webhook_server_->stop();
  if (api_server_) api_server_->stop();
  operator_server_->stop();
  if (reloader_) reloader_->stop();
  readiness_->stop();
  health_exporter_->stop();
  if (keeper_) keeper_->stop();
  poller_->stop();
  if (fetch_jobs_) fetch_jobs_->stop();
  producer_->flush(std::chrono::milliseconds(config_.kafka.delivery_timeout_ms));
  log::info("ingest stopped");
}

}  // namespace switchyard::ingest
