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
#include "common/tenants.h"
#include "dispatch/dispatcher.h"

namespace switchyard::dispatch {

class DispatchService {
 public:
  DispatchService(ServiceConfig config, DispatchOptions options, TenantDirectory tenants,
                  const connectors::ConnectorRegistry& registry);
  ~DispatchService();
  void start();
  void stop();  // abandons a command mid-retry (it is redelivered), commits, leaves the group
  uint16_t port() const { return server_->port(); }
  Metrics& metrics() { return metrics_; }
  // The watched loops behind /healthz (tests register a beat of their own to see it fail).
  Heartbeats& heartbeats() { return heartbeats_; }

 private:
  ServiceConfig config_;
  TenantDirectory tenants_;
  Metrics metrics_;
  Heartbeats heartbeats_;
  std::unique_ptr<Dispatcher> dispatcher_;
  std::unique_ptr<http::HttpServer> server_;
  std::atomic<bool> stopping_{false};
  std::thread worker_;
};

}  // namespace switchyard::dispatch
