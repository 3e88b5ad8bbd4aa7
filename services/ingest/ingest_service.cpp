#include "ingest/ingest_service.h"

#include "common/admin_routes.h"
#include "common/log.h"

namespace switchyard::ingest {

IngestService::IngestService(ServiceConfig config, IngestOptions options, TenantDirectory tenants,
                             const connectors::ConnectorRegistry& registry)
    : config_(std::move(config)),
      options_(std::move(options)),
      tenants_(std::move(tenants)),
      heartbeats_(config_.liveness_timeout),
      ingest_metrics_(metrics_) {
  options_.poller.heartbeats = &heartbeats_;
  auto producer = KafkaProducer::create(config_.kafka);
  if (!producer) throw ConfigError("kafka producer: " + producer.error().message);
  producer_ = std::move(*producer);
  publisher_ = std::make_unique<EnvelopePublisher>(*producer_, metrics_, config_.topics.raw);
  // Backfills go to their own topic (topics::kRawBackfill); without one configured, to raw.
  backfill_publisher_ = std::make_unique<EnvelopePublisher>(
      *producer_, metrics_, config_.topics.raw_backfill.empty() ? config_.topics.raw : config_.topics.raw_backfill);
  webhooks_ = std::make_unique<WebhookHandler>(tenants_, registry, *publisher_, ingest_metrics_);
  commands_ = std::make_unique<CommandHandler>(tenants_, *producer_, metrics_, ingest_metrics_,
                                               config_.topics.commands, options_.api_tokens);
  poller_ = std::make_unique<Poller>(tenants_, registry, *publisher_, *backfill_publisher_, config_.redis, metrics_,
                                     ingest_metrics_, options_.poller);
  sync_ = std::make_unique<SyncHandler>(tenants_, *poller_, ingest_metrics_, options_.api_tokens);
  tenants_.on_change([this](const TenantSnapshot& now) { poller_->apply(*now); });
  if (!config_.tenants_file.empty()) {
    reloader_ = std::make_unique<TenantReloader>(tenants_, config_.tenants_file, connectors::spec_lookup(registry), Env(),
                                                 config_.tenants_reload_interval, metrics_, &heartbeats_);
  }

  http::ServerOptions server_options;
  server_options.address = config_.listen_host;
  server_options.port = config_.listen_port;
  server_options.max_body_bytes = options_.max_body_bytes;
  server_options.threads = options_.http_threads;
  server_options.heartbeats = &heartbeats_;
  server_ = std::make_unique<http::HttpServer>(server_options);
  server_->route("POST", "/v1/webhooks/{psa}/{tenant}", instrumented("webhook", [this](http::Request&& r, http::Responder respond) {
                   webhooks_->handle(std::move(r), std::move(respond));
                 }));
  server_->route("POST", "/v1/tenants/{tenant}/commands", instrumented("command", [this](http::Request&& r, http::Responder respond) {
                   commands_->handle(std::move(r), std::move(respond));
                 }));
  server_->route("POST", "/v1/tenants/{tenant}/sync", instrumented("sync", [this](http::Request&& r, http::Responder respond) {
                   sync_->handle(std::move(r), std::move(respond));
                 }));
  // The metadata request blocks for up to a second when Kafka is down: never on an IO thread.
  readiness_ = std::make_unique<BackgroundReadiness>(
      [this]() -> std::string {
        return producer_->reachable(std::chrono::milliseconds(1000)) ? "" : "kafka unreachable";
      },
      options_.readiness_interval);
  add_admin_routes(*server_, metrics_, [this] { return readiness_->current(); }, &heartbeats_);
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
  if (reloader_) reloader_->start();
  server_->start();
  started_ = true;
  log::info("ingest started", {{"port", static_cast<int64_t>(server_->port())},
                               {"tenants", static_cast<int64_t>(tenants_.size())}});
}

void IngestService::stop() {
  if (!started_) return;
  started_ = false;
  server_->stop();
  if (reloader_) reloader_->stop();
  readiness_->stop();
  poller_->stop();
  producer_->flush(std::chrono::milliseconds(config_.kafka.delivery_timeout_ms));
  log::info("ingest stopped");
}

}  // namespace switchyard::ingest
