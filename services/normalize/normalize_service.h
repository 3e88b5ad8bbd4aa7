// NormalizeService: the normalize process minus main(): the Normalizer loop on its own
// thread plus the admin HTTP routes. Tests run it in-process.
#pragma once

#include <atomic>
#include <memory>
#include <thread>

#include "common/config_reloader.h"
#include "common/heartbeats.h"
#include "common/http_server.h"
#include "common/metrics.h"
#include "common/service_config.h"
#include "normalize/normalizer.h"
#include "normalize/policy_recompute.h"

namespace switchyard::normalize {

class NormalizeService {
 public:
  NormalizeService(ServiceConfig config, NormalizeOptions options, const connectors::ConnectorRegistry& registry);
  ~NormalizeService();
  void start();
  void stop();  // finishes the current batch, commits offsets, leaves the group
  uint16_t operator_port() const { return server_->port(); }  // the bound operator listener (after start())
  Metrics& metrics() { return metrics_; }
  // The watched loops behind /healthz (tests register a beat of their own to see it fail).
  Heartbeats& heartbeats() { return heartbeats_; }
  PolicyRecompute& recompute() { return *recompute_; }

 private:
  ServiceConfig config_;
  Metrics metrics_;
  Heartbeats heartbeats_;
  // Re-reads the tenant ids (metric labels) from config.tenants_file; nullptr without one.
  std::unique_ptr<ConfigReloader> tenant_ids_reloader_;
  std::unique_ptr<Normalizer> normalizer_;
  std::unique_ptr<PolicyRecompute> recompute_;  // the sync policies' daily recompute
  std::unique_ptr<http::HttpServer> server_;
  std::atomic<bool> stopping_{false};
  std::thread worker_;
};

}  // namespace switchyard::normalize
