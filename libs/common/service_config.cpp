#include "common/service_config.h"

#include "common/kafka_properties.h"
#include "common/redis_config.h"
#include "common/topics.h"

#include <iterator>
#include <tuple>

namespace switchyard {
ListenAddress read_listen_address(const Env& env, std::string_view name, std::string_view fallback, bool may_be_off) {
  ListenAddress a;
  if (env.string(name, fallback) == "off") {
    if (!may_be_off) throw ConfigError(std::string(name) + ": cannot be off (the probes and Prometheus need it)");
    a.enabled = false;
    return a;
  }
  std::tie(a.host, a.port) = env.listen_address(name, fallback);
  return a;
}

namespace {

bool any_address(const std::string& host) { return host.empty() || host == "0.0.0.0" || host == "::"; }

// One process, one listener per port: two on the same port would fail to bind with a less
// helpful message (port 0 is a different free port each; different specific addresses may
// share a port).
void check_distinct_ports(const ServiceConfig& c) {
  const std::pair<std::string_view, const ListenAddress*> listeners[] = {
      {kWebhookListenVar, &c.webhook_listen}, {kApiListenVar, &c.api_listen}, {kOperatorListenVar, &c.operator_listen}};
  for (size_t i = 0; i < std::size(listeners); ++i) {
    for (size_t j = i + 1; j < std::size(listeners); ++j) {
      const ListenAddress& a = *listeners[i].second;
      const ListenAddress& b = *listeners[j].second;
      if (a.enabled && b.enabled && a.port != 0 && a.port == b.port &&
          (a.host == b.host || any_address(a.host) || any_address(b.host))) {
        throw ConfigError(std::string(listeners[j].first) + ": port " + std::to_string(b.port) + " is also " +
                          std::string(listeners[i].first) + "'s: each audience needs its own port");
      }
    }
  }
}

}  // namespace

ServiceConfig load_service_config(const Env& env, std::string_view service) {
  // Retired: one port served every audience. Failing beats guessing which audience it meant
  // (an alias for one of them would silently move the others to their defaults).
  if (!env.string("SWITCHYARD_LISTEN", "").empty()) {
    throw ConfigError(
        "SWITCHYARD_LISTEN: no longer read: each audience has its own listener. Use SWITCHYARD_OPERATOR_LISTEN "
        "(/metrics, /healthz, /readyz; every service; default 0.0.0.0:9090) and, for ingest, "
        "SWITCHYARD_WEBHOOK_LISTEN (PSA webhooks; default 0.0.0.0:8080) and SWITCHYARD_API_LISTEN "
        "(vendor API: commands, sync; default 0.0.0.0:8081); docs/configuration.md#listeners");
  }
  ServiceConfig c;
  c.kafka.bootstrap_servers = env.required("SWITCHYARD_KAFKA_BOOTSTRAP");
  c.kafka.client_id = env.string("SWITCHYARD_KAFKA_CLIENT_ID", "switchyard-" + std::string(service));
  c.kafka.delivery_timeout_ms =
      static_cast<int>(env.integer("SWITCHYARD_KAFKA_DELIVERY_TIMEOUT_MS", 10000, 1000, 300000));
  if (auto path = env.string("SWITCHYARD_KAFKA_PROPERTIES_FILE", ""); !path.empty()) {
    // ${env:NAME} / ${file:PATH} references resolved here (common/kafka_properties.h).
    c.kafka.extra = read_kafka_properties(path, env);
  }

  c.redis = load_redis_settings(env);  // SWITCHYARD_REDIS_URL, _PASSWORD_FILE, _TLS_*, _SENTINEL*

  // Required by ingest and dispatch: one file, or a directory of one file per tenant.
  c.tenants_file = env.string("SWITCHYARD_TENANTS_FILE", "");
  if (auto dir = env.string("SWITCHYARD_TENANTS_DIR", ""); !dir.empty()) {
    if (!c.tenants_file.empty()) {
      throw ConfigError("SWITCHYARD_TENANTS_DIR: set either it or SWITCHYARD_TENANTS_FILE, not both");
    }
    c.tenants_file = dir;
  }
  c.tenants_reload_interval = std::chrono::seconds(env.integer("SWITCHYARD_TENANTS_RELOAD_SECONDS", 10, 0, 3600));
  c.operator_listen = read_listen_address(env, kOperatorListenVar, kDefaultOperatorListen, false);
  if (service == "ingest") {
    c.webhook_listen = read_listen_address(env, kWebhookListenVar, kDefaultWebhookListen, true);
    c.api_listen = read_listen_address(env, kApiListenVar, kDefaultApiListen, true);
  } else {
    c.webhook_listen.enabled = false;  // only ingest serves these audiences
    c.api_listen.enabled = false;
  }
  check_distinct_ports(c);
  auto level = log::parse_level(env.string("SWITCHYARD_LOG_LEVEL", "info"));
  if (!level) throw ConfigError("SWITCHYARD_LOG_LEVEL: " + level.error().message);
  c.log_level = *level;

  c.topics.raw = env.string("SWITCHYARD_TOPIC_RAW", topics::kRaw);
  c.topics.canonical = env.string("SWITCHYARD_TOPIC_CANONICAL", topics::kCanonical);
  c.topics.commands = env.string("SWITCHYARD_TOPIC_COMMANDS", topics::kCommands);
  c.topics.raw_dead_letter = env.string("SWITCHYARD_TOPIC_RAW_DLQ", topics::kRawDeadLetter);
  c.topics.commands_dead_letter = env.string("SWITCHYARD_TOPIC_COMMANDS_DLQ", topics::kCommandsDeadLetter);
  c.topics.commands_retry = env.string("SWITCHYARD_TOPIC_COMMANDS_RETRY", topics::kCommandsRetry);
  c.topics.command_results = env.string("SWITCHYARD_TOPIC_COMMAND_RESULTS", topics::kCommandResults);
  c.topics.raw_backfill = env.string("SWITCHYARD_TOPIC_RAW_BACKFILL", topics::kRawBackfill);
  c.topics.fetch_jobs = env.string("SWITCHYARD_TOPIC_FETCH_JOBS", topics::kFetchJobs);
  c.topics.activity = env.string("SWITCHYARD_TOPIC_ACTIVITY", topics::kActivity);
  c.topics.audit = env.string("SWITCHYARD_TOPIC_AUDIT", topics::kAudit);
  c.activity = activity_settings_from_env(env, c.topics.activity);

  // Longer than the longest step a loop takes between two beats: one PSA request (10 s), one
  // Kafka acknowledgement (the delivery timeout), a Redis command (2 s); docs/configuration.md.
  c.liveness_timeout = std::chrono::seconds(env.integer(
      "SWITCHYARD_LIVENESS_TIMEOUT_SECONDS",
      std::chrono::duration_cast<std::chrono::seconds>(ServiceConfig::kDefaultLivenessTimeout).count(), 1, 3600));
  if (c.liveness_timeout < std::chrono::milliseconds(c.kafka.delivery_timeout_ms) + std::chrono::seconds(15)) {
    log::warn("SWITCHYARD_LIVENESS_TIMEOUT_SECONDS is shorter than a Kafka acknowledgement may legitimately take "
              "(SWITCHYARD_KAFKA_DELIVERY_TIMEOUT_MS + 15 s): a slow broker can make /healthz fail",
              {{"liveness_timeout_seconds", static_cast<int64_t>(c.liveness_timeout.count() / 1000)},
               {"delivery_timeout_ms", c.kafka.delivery_timeout_ms}});
  }
  return c;
}

TopicNames default_topic_names() {
  TopicNames t;
  t.raw = topics::kRaw;
  t.canonical = topics::kCanonical;
  t.commands = topics::kCommands;
  t.raw_dead_letter = topics::kRawDeadLetter;
  t.commands_dead_letter = topics::kCommandsDeadLetter;
  t.commands_retry = topics::kCommandsRetry;
  t.command_results = topics::kCommandResults;
  t.raw_backfill = topics::kRawBackfill;
  t.fetch_jobs = topics::kFetchJobs;
  t.activity = topics::kActivity;
  t.audit = topics::kAudit;
  return t;
}

}  // namespace switchyard
