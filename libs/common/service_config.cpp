#include "common/service_config.h"

#include "common/kafka_properties.h"
#include "common/redis_config.h"
#include "common/topics.h"

namespace switchyard {
ServiceConfig load_service_config(const Env& env, std::string_view service, std::string_view default_listen) {
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
  std::tie(c.listen_host, c.listen_port) = env.listen_address("SWITCHYARD_LISTEN", default_listen);
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
  return t;
}

}  // namespace switchyard
