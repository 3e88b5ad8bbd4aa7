// Settings every service reads from the environment (docs/configuration.md lists them all).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "common/activity.h"
#include "common/env.h"
#include "common/kafka_settings.h"
#include "common/log.h"
#include "common/redis_client.h"

namespace switchyard {

struct TopicNames {
  std::string raw, canonical, commands, raw_dead_letter, commands_dead_letter, commands_retry, command_results;
  std::string raw_backfill;  // ingest's backfills; normalize consumes it besides `raw`
  std::string fetch_jobs;    // ingest's jobs to read a partial webhook's record whole
  std::string activity;      // every service's activity records (docs/activity.md)
  std::string audit;         // the audit trail of admin actions (common/audit.h)
};
// The default names (common/topics.h), as used when no SWITCHYARD_TOPIC_* is set.
TopicNames default_topic_names();

// One HTTP listener (docs/configuration.md#listeners). Each audience has its own port, so a
// NetworkPolicy can open each to its callers only, and a route asked for on another listener
// answers 404.
struct ListenAddress {
  std::string host = "127.0.0.1";
  uint16_t port = 0;     // 0 = a free port (tests); the service's *_port() tells the bound one
  bool enabled = true;   // false: "off" (ingest's poller pods serve neither webhooks nor the API)
};

// The three audiences and their defaults (ingest serves all three, normalize and dispatch the
// operator listener only).
inline constexpr std::string_view kOperatorListenVar = "SWITCHYARD_OPERATOR_LISTEN";
inline constexpr std::string_view kWebhookListenVar = "SWITCHYARD_WEBHOOK_LISTEN";
inline constexpr std::string_view kApiListenVar = "SWITCHYARD_API_LISTEN";
inline constexpr std::string_view kDefaultOperatorListen = "0.0.0.0:9090";
inline constexpr std::string_view kDefaultWebhookListen = "0.0.0.0:8080";
inline constexpr std::string_view kDefaultApiListen = "0.0.0.0:8081";

struct ServiceConfig {
  KafkaSettings kafka;
  RedisSettings redis;
  std::string tenants_file;  // SWITCHYARD_TENANTS_FILE, or the directory SWITCHYARD_TENANTS_DIR
  // How often the tenants (and the secret files they reference) are read again; 0 = never.
  std::chrono::milliseconds tenants_reload_interval{0};
  // Operators (every service): /metrics, /healthz, /readyz; later the console, offboarding
  // and erasure. Never off: the probes and Prometheus need it.
  ListenAddress operator_listen;
  // ingest only: the PSAs' webhooks (POST /v1/webhooks/{psa}/{tenant}), the public listener.
  ListenAddress webhook_listen;
  // ingest only: the vendor platform's API (commands, sync now), with tenant-scoped tokens.
  ListenAddress api_listen;
  log::Level log_level = log::Level::Info;
  TopicNames topics;
  // Where activity goes and how much of it Redis keeps (common/activity.h).
  ActivitySettings activity;
  // /healthz fails when a worker loop has not beaten for this long (SWITCHYARD_LIVENESS_TIMEOUT_SECONDS).
  std::chrono::milliseconds liveness_timeout{kDefaultLivenessTimeout};
  static constexpr std::chrono::milliseconds kDefaultLivenessTimeout{120000};
};

// Reads SWITCHYARD_KAFKA_BOOTSTRAP, SWITCHYARD_KAFKA_PROPERTIES_FILE, SWITCHYARD_REDIS_* (common/redis_config.h),
// SWITCHYARD_TENANTS_FILE / _DIR, SWITCHYARD_TENANTS_RELOAD_SECONDS, SWITCHYARD_OPERATOR_LISTEN
// (and for "ingest" SWITCHYARD_WEBHOOK_LISTEN and SWITCHYARD_API_LISTEN), SWITCHYARD_LOG_LEVEL,
// SWITCHYARD_TOPIC_*, ...
// Throws ConfigError naming the variable; also when the retired SWITCHYARD_LISTEN is set (it
// names the replacements), and when two of ingest's listeners would share a port.
ServiceConfig load_service_config(const Env& env, std::string_view service);

// "host:port" (port 0 = a free port) or, where `may_be_off`, "off".
ListenAddress read_listen_address(const Env& env, std::string_view name, std::string_view fallback, bool may_be_off);

}  // namespace switchyard
