// A tenant's "sync_policies" setting (docs/sync-policies.md), as the tenants file spells it:
//   "sync_policies": "all"                                          (the default: every record)
//   "sync_policies": ["active_customers", "active_customer_agreements"]
//   "sync_policies": {"policies": [...] | "all", "require_contact": true, "suppress_echoes": true}
// Both the full tenants loader and normalize's credential-free reader parse it here.
#pragma once

#include <simdjson.h>

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "common/result.h"
#include "common/sync_policy.h"

namespace switchyard {

// `path` names the setting itself ("tenants[0].sync_policies") in errors.
Result<policy::SyncPolicies> parse_sync_policies(simdjson::dom::element value, const std::string& path);

using SyncPoliciesByTenant = std::map<std::string, policy::SyncPolicies, std::less<>>;

// Every tenant's setting from the tenants file or directory, without resolving any secret.
// Tenants without "sync_policies" are left out (they sync everything).
Result<SyncPoliciesByTenant> parse_tenant_sync_policies(std::string_view json);
Result<SyncPoliciesByTenant> read_tenant_sync_policies(const std::string& path);

// The settings in force; copies share one table, so a reload (replace) reaches every copy.
class TenantSyncPolicies {
 public:
  TenantSyncPolicies() = default;
  explicit TenantSyncPolicies(SyncPoliciesByTenant table) { replace(std::move(table)); }
  std::shared_ptr<const SyncPoliciesByTenant> snapshot() const;
  bool replace(SyncPoliciesByTenant table);  // false when unchanged

 private:
  struct Shared {
    std::mutex mutex;
    std::shared_ptr<const SyncPoliciesByTenant> table = std::make_shared<const SyncPoliciesByTenant>();
  };
  std::shared_ptr<Shared> shared_ = std::make_shared<Shared>();
};

// The tenant's setting in `table`, or the default (all).
const policy::SyncPolicies& sync_policies_of(const SyncPoliciesByTenant& table, std::string_view tenant);

}  // namespace switchyard
