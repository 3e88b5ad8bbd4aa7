// Settings every service reads from the environment (docs/configuration.md lists them all).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "common/env.h"
#include "common/kafka_settings.h"
#include "common/log.h"
#include "common/redis_client.h"

namespace switchyard {

struct TopicNames {
  std::string raw, canonical, commands, raw_dead_letter, commands_dead_letter, commands_retry, command_results;
  std::string raw_backfill;  // ingest's backfills; normalize consumes it besides `raw`
};
// The default names (common/topics.h), as used when no SWITCHYARD_TOPIC_* is set.
TopicNames default_topic_names();

struct ServiceConfig {
  KafkaSettings kafka;
  RedisSettings redis;
  std::string tenants_file;  // SWITCHYARD_TENANTS_FILE, or the directory SWITCHYARD_TENANTS_DIR
  // How often the tenants (and the secret files they reference) are read again; 0 = never.
  std::chrono::milliseconds tenants_reload_interval{0};
  std::string listen_host;  // HTTP: API (ingest) and /metrics, /healthz, /readyz
  uint16_t listen_port = 0;
  log::Level log_level = log::Level::Info;
  TopicNames topics;
  // /healthz fails when a worker loop has not beaten for this long (SWITCHYARD_LIVENESS_TIMEOUT_SECONDS).
  std::chrono::milliseconds liveness_timeout{kDefaultLivenessTimeout};
  static constexpr std::chrono::milliseconds kDefaultLivenessTimeout{120000};
};

// Reads SWITCHYARD_KAFKA_BOOTSTRAP, SWITCHYARD_KAFKA_PROPERTIES_FILE, SWITCHYARD_REDIS_* (common/redis_config.h),
// SWITCHYARD_TENANTS_FILE / _DIR, SWITCHYARD_TENANTS_RELOAD_SECONDS, SWITCHYARD_LISTEN, SWITCHYARD_LOG_LEVEL, SWITCHYARD_TOPIC_*, ...
// Throws ConfigError naming the variable.
ServiceConfig load_service_config(const Env& env, std::string_view service, std::string_view default_listen);

}  // namespace switchyard
