// switchyard-ingest: receives PSA webhooks and vendor commands, polls PSAs, produces to Kafka.
// Configuration: environment variables (docs/configuration.md) and the tenants file.
#include <memory>

#include "common/api_tokens.h"
#include "common/envelope.h"
#include "common/http_client.h"
#include "common/log.h"
#include "common/service_main.h"
#include "connectors/registry.h"
#include "ingest/ingest_service.h"

using namespace switchyard;

int main() {
  return run_service("ingest", [](const Env& env, ServiceConfig config) -> std::function<void()> {
    if (config.tenants_file.empty()) throw ConfigError("SWITCHYARD_TENANTS_FILE: required environment variable is not set");
    const auto& registry = connectors::builtin_registry();
    TenantDirectory tenants = load_tenants_file(config.tenants_file, connectors::spec_lookup(registry), env);

    ingest::IngestOptions options;
    // The envelope escapes the body into a JSON string (at most about twice its size for
    // valid JSON), and must stay under Kafka's default 1,000,000-byte message limit.
    options.max_body_bytes =
        static_cast<size_t>(env.integer("SWITCHYARD_MAX_BODY_BYTES", 256 * 1024, 1024, 480 * 1024));
    if (auto tokens = env.string("SWITCHYARD_API_TOKENS_FILE", ""); !tokens.empty()) {
      options.api_tokens = load_api_tokens_file(tokens, env);
      for (const ApiToken& token : options.api_tokens.all()) {
        for (const std::string& tenant : token.tenants) {
          // Allowed (the tenant may be added later), but most likely a typo.
          if (tenants.find(tenant) == nullptr) {
            log::warn("api token names a tenant the tenants file does not have",
                      {{"token_id", token.id}, {"tenant", tenant}});
          }
        }
      }
    } else {
      log::warn("SWITCHYARD_API_TOKENS_FILE is not set: the commands endpoint answers 403");
    }
    options.public_webhook_url = env.string("SWITCHYARD_PUBLIC_WEBHOOK_URL", "");
    if (!options.public_webhook_url.empty()) {
      auto url = http::parse_url(options.public_webhook_url);
      if (!url) throw ConfigError("SWITCHYARD_PUBLIC_WEBHOOK_URL: must be an absolute http(s) URL");
      if (url->scheme != "https") {
        log::warn("SWITCHYARD_PUBLIC_WEBHOOK_URL is not https: PSAs would send webhooks (and URL secrets) in clear text");
      }
    }
    options.http_threads = static_cast<size_t>(env.integer("SWITCHYARD_HTTP_THREADS", 2, 1, 64));
    // A webhook is answered once Kafka acknowledged it, so a linger is added to every answer; at
    // 0.5 ms concurrent webhooks share produce requests, which cost ingest and the brokers less
    // than one request each (docs/performance.md, 2026-12-03).
    config.kafka.linger_ms = env.number("SWITCHYARD_PRODUCER_LINGER_MS", 0.5, 0, 1000);
    // 1 while normalize replicas from before envelope version 2 may read the raw topic
    // (docs/deploy.md#upgrading-to-envelope-version-2).
    set_envelope_write_version(static_cast<int>(env.integer("SWITCHYARD_ENVELOPE_VERSION", 2, 1, 2)));
    options.polling = env.boolean("SWITCHYARD_POLLING", true);
    options.fetch_jobs = env.boolean("SWITCHYARD_FETCH_JOBS", true);
    options.webhook_check_interval =
        std::chrono::seconds(env.integer("SWITCHYARD_WEBHOOK_CHECK_SECONDS", 3600, 0, 7 * 86400));
    options.health_export_interval =
        std::chrono::seconds(env.integer("SWITCHYARD_HEALTH_EXPORT_SECONDS", 30, 5, 3600));
    options.lookup.cache_ttl = std::chrono::seconds(env.integer("SWITCHYARD_LOOKUP_CACHE_SECONDS", 60, 0, 3600));
    options.poller.workers = static_cast<size_t>(env.integer("SWITCHYARD_POLL_CONCURRENCY", 32, 1, 1024));
    options.poller.backfill = env.boolean("SWITCHYARD_POLL_BACKFILL", true);
    options.poller.backfill_share = env.number("SWITCHYARD_POLL_BACKFILL_SHARE", 0.25, 0.01, 1.0);
    options.poller.backfill_rate_share = env.number("SWITCHYARD_POLL_BACKFILL_RATE_SHARE", 0.5, 0.01, 1.0);
    options.poller.overlap = std::chrono::seconds(env.integer("SWITCHYARD_POLL_OVERLAP_SECONDS", 60, 0, 3600));
    options.poller.labels.every =
        std::chrono::seconds(env.integer("SWITCHYARD_LABELS_REFRESH_SECONDS", 3600, 60, 86400));
    options.poller.lease_ttl =
        std::chrono::seconds(env.integer("SWITCHYARD_POLL_LEASE_TTL_SECONDS", 60, 15, 3600));
    // A lease must outlive one page: the PSA request (10 s at most) and Kafka's acknowledgement.
    if (options.poller.lease_ttl < std::chrono::milliseconds(config.kafka.delivery_timeout_ms) + std::chrono::seconds(15)) {
      throw ConfigError("SWITCHYARD_POLL_LEASE_TTL_SECONDS: must be at least SWITCHYARD_KAFKA_DELIVERY_TIMEOUT_MS + 15 s (" +
                        std::to_string(config.kafka.delivery_timeout_ms / 1000 + 15) + ")");
    }
    if (!env.string("SWITCHYARD_POLL_INITIAL_LOOKBACK_SECONDS", "").empty()) {
      log::warn("SWITCHYARD_POLL_INITIAL_LOOKBACK_SECONDS is no longer used: a tenant's first poll backfills "
                "every record (SWITCHYARD_POLL_BACKFILL)");
    }

    auto service = std::make_shared<ingest::IngestService>(std::move(config), options, std::move(tenants), registry);
    service->start();
    return [service] { service->stop(); };
  });
}
