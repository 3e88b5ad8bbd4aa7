// switchyard-normalize: raw topic → dedup (Redis) → canonical topic.
// Configuration: environment variables (docs/configuration.md).
#include <csignal>

#include "common/log.h"
#include "common/redis_eviction_check.h"
#include "common/service_config.h"
#include "common/tenant_ids.h"
#include "connectors/registry.h"
#include "normalize/normalize_service.h"

using namespace switchyard;

int main() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  log::init("normalize", log::Level::Info);
  try {
    const Env env;
    ServiceConfig config = load_service_config(env, "normalize", "0.0.0.0:8081");
    log::init("normalize", config.log_level);
    // Refuses a Redis that may evict keys (SWITCHYARD_REDIS_ALLOW_EVICTION overrides).
    require_redis_without_eviction(config.redis, env);
    normalize::NormalizeOptions options;
    options.group_id = env.string("SWITCHYARD_CONSUMER_GROUP", "switchyard-normalize");
    options.batch_size = static_cast<size_t>(env.integer("SWITCHYARD_BATCH_SIZE", 500, 1, 10000));
    options.dedup.pending_ttl = std::chrono::seconds(env.integer("SWITCHYARD_DEDUP_PENDING_TTL_SECONDS", 30, 1, 3600));
    options.dedup.done_ttl = std::chrono::seconds(env.integer("SWITCHYARD_DEDUP_TTL_SECONDS", 7 * 86400, 60, 90 * 86400));
    // Optional here: only the tenant ids are read (for metric labels), never a credential;
    // they are read again every SWITCHYARD_TENANTS_RELOAD_SECONDS.
    if (!config.tenants_file.empty()) options.tenant_labels = TenantLabels(load_tenant_ids(config.tenants_file));

    normalize::NormalizeService service(std::move(config), options, connectors::builtin_registry());
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
