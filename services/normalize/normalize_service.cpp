#include "normalize/normalize_service.h"

#include "common/admin_routes.h"
#include "common/log.h"
#include "common/sync_policy_settings.h"

namespace switchyard::normalize {

NormalizeService::NormalizeService(ServiceConfig config, NormalizeOptions options,
                                   const connectors::ConnectorRegistry& registry)
    : config_(std::move(config)), heartbeats_(config_.liveness_timeout) {
  options.heartbeats = &heartbeats_;
  if (!config_.tenants_file.empty()) {
    tenant_ids_reloader_ = std::make_unique<ConfigReloader>(
        "tenants", config_.tenants_reload_interval,
        [labels = options.tenant_labels, mappings = options.tenant_mappings, policies = options.tenant_sync_policies,
         path = config_.tenants_file]() mutable -> Result<bool> {
          auto ids = read_tenant_ids(path);
          if (!ids) return make_error(ids.error().code, "tenants " + path + ": " + ids.error().message);
          auto fresh = read_tenant_mappings(path);
          if (!fresh) return make_error(fresh.error().code, "tenants " + path + ": " + fresh.error().message);
          auto settings = read_tenant_sync_policies(path);
          if (!settings) return make_error(settings.error().code, "tenants " + path + ": " + settings.error().message);
          const bool ids_changed = labels.replace(std::move(*ids));
          const bool policies_changed = policies.replace(std::move(*settings));
          return mappings.replace(std::move(*fresh)) || ids_changed || policies_changed;
        },
        metrics_, &heartbeats_);
  }
  recompute_ = std::make_unique<PolicyRecompute>(config_, options.tenant_sync_policies, metrics_,
                                                 options.policy_recompute_check);
  normalizer_ = std::make_unique<Normalizer>(config_, std::move(options), registry, metrics_);
  // Operators only (/metrics, /healthz, /readyz): normalize serves no other audience.
  server_ = make_operator_server(
      config_.operator_listen, metrics_,
      [this] {
        std::string reason;
        normalizer_->ready(reason);
        return reason;
      },
      heartbeats_);
}

NormalizeService::~NormalizeService() { stop(); }

void NormalizeService::start() {
  server_->start();
  if (tenant_ids_reloader_) tenant_ids_reloader_->start();
  worker_ = std::thread([this] { normalizer_->run(stopping_); });
  recompute_->start();
  log::info("normalize started", {{"operator_port", static_cast<int64_t>(server_->port())}});
}

void NormalizeService::stop() {
  if (stopping_.exchange(true)) return;
  recompute_->stop();
  if (worker_.joinable()) worker_.join();
  if (tenant_ids_reloader_) tenant_ids_reloader_->stop();
  server_->stop();
  log::info("normalize stopped");
}

}  // namespace switchyard::normalize
