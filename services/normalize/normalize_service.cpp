#include "normalize/normalize_service.h"

#include "common/admin_routes.h"
#include "common/log.h"

namespace switchyard::normalize {

NormalizeService::NormalizeService(ServiceConfig config, NormalizeOptions options,
                                   const connectors::ConnectorRegistry& registry)
    : config_(std::move(config)), heartbeats_(config_.liveness_timeout) {
  options.heartbeats = &heartbeats_;
  if (!config_.tenants_file.empty()) {
    tenant_ids_reloader_ = std::make_unique<ConfigReloader>(
        "tenants", config_.tenants_reload_interval,
        [labels = options.tenant_labels, mappings = options.tenant_mappings,
         path = config_.tenants_file]() mutable -> Result<bool> {
          auto ids = read_tenant_ids(path);
          if (!ids) return make_error(ids.error().code, "tenants " + path + ": " + ids.error().message);
          auto fresh = read_tenant_mappings(path);
          if (!fresh) return make_error(fresh.error().code, "tenants " + path + ": " + fresh.error().message);
          const bool ids_changed = labels.replace(std::move(*ids));
          return mappings.replace(std::move(*fresh)) || ids_changed;
        },
        metrics_, &heartbeats_);
  }
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
  log::info("normalize started", {{"operator_port", static_cast<int64_t>(server_->port())}});
}

void NormalizeService::stop() {
  if (stopping_.exchange(true)) return;
  if (worker_.joinable()) worker_.join();
  if (tenant_ids_reloader_) tenant_ids_reloader_->stop();
  server_->stop();
  log::info("normalize stopped");
}

}  // namespace switchyard::normalize
