// TenantReloader: keeps a service's LiveTenants in step with its tenants file or directory
// (common/tenants.h) and the secret files the tenants reference, without a restart. Every
// interval it reads them all again; when the result differs from the tenants in force (a tenant
// added, removed, paused, a setting or a secret changed) it swaps the whole set at once. Logs
// name tenant ids only. Metrics: switchyard_tenants{state="active"|"paused"} and the
// ConfigReloader's (config="tenants").
#pragma once

#include <chrono>
#include <string>

#include "common/config_reloader.h"
#include "common/env.h"
#include "common/live_tenants.h"
#include "common/metrics.h"

namespace switchyard {

class TenantReloader {
 public:
  // `interval` 0: never reloads (start() does nothing).
  TenantReloader(LiveTenants& live, std::string path, ConnectorSpecLookup specs, Env env,
                 std::chrono::milliseconds interval, Metrics& metrics, Heartbeats* heartbeats = nullptr);
  void start() { reloader_.start(); }
  void stop() { reloader_.stop(); }
  Result<bool> reload_now() { return reloader_.reload_now(); }

 private:
  Result<bool> attempt();
  void count(const TenantDirectory& tenants);

  LiveTenants& live_;
  std::string path_;
  ConnectorSpecLookup specs_;
  Env env_;
  prometheus::Gauge& active_;
  prometheus::Gauge& paused_;
  ConfigReloader reloader_;
};

}  // namespace switchyard
