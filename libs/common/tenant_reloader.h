// TenantReloader: keeps a service's LiveTenants in step with its tenants file or directory
// (common/tenants.h) and the secret files the tenants reference, without a restart. Every
// interval it reads them all again; when the result differs from the tenants in force (a tenant
// added, removed, paused, a setting or a secret changed) it swaps the whole set at once. Logs
// name tenant ids only. Metrics: switchyard_tenants{state="active"|"paused"} and the
// ConfigReloader's (config="tenants").
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "common/config_reloader.h"
#include "common/env.h"
#include "common/live_tenants.h"
#include "common/metrics.h"

namespace switchyard {

// What one applied reload changed, by tenant id (a tenant in `changed` may also be in paused,
// resumed, test_mode_on or test_mode_off, which say what changed about it).
struct TenantChanges {
  std::vector<std::string> added, removed, changed, paused, resumed, test_mode_on, test_mode_off;
};

class TenantReloader {
 public:
  // `interval` 0: never reloads (start() does nothing).
  TenantReloader(LiveTenants& live, std::string path, ConnectorSpecLookup specs, Env env,
                 std::chrono::milliseconds interval, Metrics& metrics, Heartbeats* heartbeats = nullptr);
  void start() { reloader_.start(); }
  void stop() { reloader_.stop(); }
  Result<bool> reload_now() { return reloader_.reload_now(); }
  // Called on the reloader's thread after each applied change (the audit trail). Set before start().
  void on_applied(std::function<void(const TenantChanges&)> observer) { on_applied_ = std::move(observer); }

 private:
  Result<bool> attempt();
  void count(const TenantDirectory& tenants);

  LiveTenants& live_;
  std::string path_;
  ConnectorSpecLookup specs_;
  Env env_;
  std::function<void(const TenantChanges&)> on_applied_;
  prometheus::Gauge& active_;
  prometheus::Gauge& paused_;
  ConfigReloader reloader_;
};

}  // namespace switchyard
