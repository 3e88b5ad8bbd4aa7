// switchyard-normalize: raw topic → dedup (Redis) → canonical topic.
// Configuration: environment variables (docs/configuration.md).
#include <memory>

#include "common/log.h"
#include "common/service_main.h"
#include "common/tenant_ids.h"
#include "common/sync_policy_settings.h"
#include "common/tenant_mappings.h"
#include "connectors/registry.h"
#include "normalize/normalize_service.h"

using namespace switchyard;

int main() {
  return run_service("normalize", [](const Env& env, ServiceConfig config) -> std::function<void()> {
    normalize::NormalizeOptions options;
    options.group_id = env.string("SWITCHYARD_CONSUMER_GROUP", "switchyard-normalize");
    options.batch_size = static_cast<size_t>(env.integer("SWITCHYARD_BATCH_SIZE", 2000, 1, 10000));
    // A batch's events are produced together and waited for together: a short linger makes fewer,
    // larger produce requests for a delay of at most that per batch (docs/configuration.md).
    config.kafka.linger_ms = env.number("SWITCHYARD_PRODUCER_LINGER_MS", 2, 0, 1000);
    options.dedup.pending_ttl = std::chrono::seconds(env.integer("SWITCHYARD_DEDUP_PENDING_TTL_SECONDS", 30, 1, 3600));
    options.dedup.done_ttl = std::chrono::seconds(env.integer("SWITCHYARD_DEDUP_TTL_SECONDS", 7 * 86400, 60, 90 * 86400));
    options.policy_recompute_check =
        std::chrono::seconds(env.integer("SWITCHYARD_POLICY_RECOMPUTE_CHECK_SECONDS", 600, 0, 86400));
    // Optional here: only the tenant ids (for metric labels), their "mappings" and their
    // "sync_policies" are read, never a credential; they are read again every
    // SWITCHYARD_TENANTS_RELOAD_SECONDS.
    if (!config.tenants_file.empty()) {
      options.tenant_labels = TenantLabels(load_tenant_ids(config.tenants_file));
      auto mappings = read_tenant_mappings(config.tenants_file);  // no secrets: mappings only
      if (!mappings) throw ConfigError("tenants " + config.tenants_file + ": " + mappings.error().message);
      options.tenant_mappings = TenantMappings(std::move(*mappings));
      auto policies = read_tenant_sync_policies(config.tenants_file);
      if (!policies) throw ConfigError("tenants " + config.tenants_file + ": " + policies.error().message);
      options.tenant_sync_policies = TenantSyncPolicies(std::move(*policies));
    }

    auto service = std::make_shared<normalize::NormalizeService>(std::move(config), options, connectors::builtin_registry());
    service->start();
    return [service] { service->stop(); };
  });
}
