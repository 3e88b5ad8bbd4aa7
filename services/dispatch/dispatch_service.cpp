#include "dispatch/dispatch_service.h"

#include "common/admin_routes.h"
#include "common/log.h"

namespace switchyard::dispatch {

DispatchService::DispatchService(ServiceConfig config, DispatchOptions options, TenantDirectory tenants,
                                 const connectors::ConnectorRegistry& registry)
    : config_(std::move(config)), tenants_(std::move(tenants)), heartbeats_(config_.liveness_timeout) {
  options.heartbeats = &heartbeats_;
  dispatcher_ = std::make_unique<Dispatcher>(config_, std::move(options), tenants_, registry, metrics_);
  if (!config_.tenants_file.empty()) {
    reloader_ = std::make_unique<TenantReloader>(tenants_, config_.tenants_file, connectors::spec_lookup(registry), Env(),
                                                 config_.tenants_reload_interval, metrics_, &heartbeats_);
  }
  // Operators only (/metrics, /healthz, /readyz): dispatch serves no other audience.
  server_ = make_operator_server(
      config_.operator_listen, metrics_,
      [this] {
        std::string reason;
        dispatcher_->ready(reason);
        return reason;
      },
      heartbeats_);
}

DispatchService::~DispatchService() { stop(); }

void DispatchService::start() {
  server_->start();
  if (reloader_) reloader_->start();
  worker_ = std::thread([this] { dispatcher_->run(stopping_); });
  log::info("dispatch started", {{"operator_port", static_cast<int64_t>(server_->port())},
                                 {"tenants", static_cast<int64_t>(tenants_.size())}});
}

void DispatchService::stop() {
  if (stopping_.exchange(true)) return;
  if (worker_.joinable()) worker_.join();
  if (reloader_) reloader_->stop();
  server_->stop();
  log::info("dispatch stopped");
}

}  // namespace switchyard::dispatch
