// switchyard-dispatch: commands topic → the tenant's PSA, rate limited, retried, dead-lettered.
// Configuration: environment variables (docs/configuration.md) and the tenants file.
#include <memory>

#include "common/log.h"
#include "common/service_main.h"
#include "connectors/registry.h"
#include "dispatch/dispatch_service.h"

using namespace switchyard;

int main() {
  return run_service("dispatch", [](const Env& env, ServiceConfig config) -> std::function<void()> {
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
    // How long a record dispatch wrote counts as its own for normalize (echo marks).
    options.echo_ttl = std::chrono::seconds(env.integer("SWITCHYARD_ECHO_TTL_SECONDS", 300, 10, 86400));

    // Concurrency and parking (docs/configuration.md#dispatch-concurrency).
    options.concurrency = static_cast<size_t>(env.integer("SWITCHYARD_DISPATCH_CONCURRENCY", 256, 1, 4096));
    options.window = static_cast<size_t>(env.integer("SWITCHYARD_DISPATCH_WINDOW", 10000, 10, 1000000));
    options.tenant_capacity =
        static_cast<size_t>(env.integer("SWITCHYARD_DISPATCH_TENANT_CAPACITY", 1000, 1, 1000000));
    options.divert_after =
        std::chrono::milliseconds(env.integer("SWITCHYARD_DISPATCH_DIVERT_AFTER_SECONDS", 300, 1, 86400) * 1000);
    options.max_park = std::chrono::seconds(env.integer("SWITCHYARD_DISPATCH_MAX_PARK_SECONDS", 86400, 60, 30 * 86400));
    options.recipe_state_ttl =
        std::chrono::seconds(env.integer("SWITCHYARD_RECIPE_STATE_TTL_DAYS", 400, 1, 3650) * 86400);
    options.usage_close_interval =
        std::chrono::milliseconds(env.integer("SWITCHYARD_USAGE_CLOSE_INTERVAL_SECONDS", 60, 0, 86400) * 1000);

    auto service = std::make_shared<dispatch::DispatchService>(std::move(config), options, std::move(tenants), registry);
    service->start();
    return [service] { service->stop(); };
  });
}
