// switchyard-dispatch: commands topic → the tenant's PSA, rate limited, retried, dead-lettered.
// Configuration: environment variables (docs/configuration.md) and the tenants file.
#include <csignal>

#include "common/log.h"
#include "common/redis_eviction_check.h"
#include "common/service_config.h"
#include "connectors/registry.h"
#include "dispatch/dispatch_service.h"

using namespace switchyard;

int main() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  log::init("dispatch", log::Level::Info);
  try {
    const Env env;
    ServiceConfig config = load_service_config(env, "dispatch", "0.0.0.0:8082");
    log::init("dispatch", config.log_level);
    // Refuses a Redis that may evict keys (SWITCHYARD_REDIS_ALLOW_EVICTION overrides).
    require_redis_without_eviction(config.redis, env);
    if (config.tenants_file.empty()) throw ConfigError("SWITCHYARD_TENANTS_FILE: required environment variable is not set");
    const auto& registry = connectors::builtin_registry();
    TenantDirectory tenants = load_tenants_file(config.tenants_file, connectors::spec_lookup(registry), env);
    dispatch::DispatchOptions options;
    options.group_id = env.string("SWITCHYARD_CONSUMER_GROUP", "switchyard-dispatch");
    options.max_attempts = static_cast<int>(env.integer("SWITCHYARD_DISPATCH_MAX_ATTEMPTS", 5, 1, 100));
    options.initial_backoff =
        std::chrono::milliseconds(env.integer("SWITCHYARD_DISPATCH_INITIAL_BACKOFF_MS", 500, 10, 60000));
    options.max_backoff = std::chrono::milliseconds(env.integer("SWITCHYARD_DISPATCH_MAX_BACKOFF_MS", 30000, 10, 600000));
    // How long an executed command id and an external ref → PSA id entry stay in Redis.
    options.command_record_ttl =
        std::chrono::seconds(env.integer("SWITCHYARD_COMMAND_RECORD_TTL_SECONDS", 30 * 86400, 3600, 365 * 86400));
    options.write_memo_ttl =
        std::chrono::seconds(env.integer("SWITCHYARD_WRITE_MEMO_TTL_SECONDS", 30 * 86400, 3600, 365 * 86400));

    // Concurrency and parking (docs/configuration.md#dispatch-concurrency).
    options.concurrency = static_cast<size_t>(env.integer("SWITCHYARD_DISPATCH_CONCURRENCY", 256, 1, 4096));
    options.window = static_cast<size_t>(env.integer("SWITCHYARD_DISPATCH_WINDOW", 10000, 10, 1000000));
    options.tenant_capacity =
        static_cast<size_t>(env.integer("SWITCHYARD_DISPATCH_TENANT_CAPACITY", 1000, 1, 1000000));
    options.divert_after =
        std::chrono::milliseconds(env.integer("SWITCHYARD_DISPATCH_DIVERT_AFTER_SECONDS", 300, 1, 86400) * 1000);
    options.max_park = std::chrono::seconds(env.integer("SWITCHYARD_DISPATCH_MAX_PARK_SECONDS", 86400, 60, 30 * 86400));

    dispatch::DispatchService service(std::move(config), options, std::move(tenants), registry);
    service.start();
    int sig = 0;
    sigwait(&signals, &sig);
    log::info("shutting down", {{"signal", sig}});
    service.stop();
    return 0;
  } catch (const ConfigError& e) {
    log::error("invalid configuration", {{"error", e.what()}});
    return 2;
  } catch (const std::exception& e) {
    log::error("fatal", {{"error", e.what()}});
    return 1;
  }
}
