// DispatchService: the dispatch process minus main(): the Dispatcher loop on its own thread
// plus the admin HTTP routes. Tests run it in-process.
#pragma once

#include <atomic>
#include <memory>
#include <thread>

#include "common/heartbeats.h"
#include "common/http_server.h"
#include "common/metrics.h"
#include "common/service_config.h"
#include "common/live_tenants.h"
#include "common/tenant_reloader.h"
#include "dispatch/dispatcher.h"

namespace switchyard::dispatch {

class DispatchService {
 public:
  DispatchService(ServiceConfig config, DispatchOptions options, TenantDirectory tenants,
                  const connectors::ConnectorRegistry& registry);
  ~DispatchService();
  void start();
  void stop();  // abandons a command mid-retry (it is redelivered), commits, leaves the group
  uint16_t operator_port() const { return server_->port(); }  // the bound operator listener (after start())
  Metrics& metrics() { return metrics_; }
  // The watched loops behind /healthz (tests register a beat of their own to see it fail).
  Heartbeats& heartbeats() { return heartbeats_; }
  // The tenants in force; reloaded from config.tenants_file every config.tenants_reload_interval.
  LiveTenants& tenants() { return tenants_; }
  // nullptr without config.tenants_file (tests that pass the tenants in).
  TenantReloader* tenant_reloader() { return reloader_.get(); }

 private:
  ServiceConfig config_;
  LiveTenants tenants_;
  Metrics metrics_;
  Heartbeats heartbeats_;
  std::unique_ptr<TenantReloader> reloader_;
  std::unique_ptr<Dispatcher> dispatcher_;
  std::unique_ptr<http::HttpServer> server_;
  std::atomic<bool> stopping_{false};
  std::thread worker_;
};

}  // namespace switchyard::dispatch
