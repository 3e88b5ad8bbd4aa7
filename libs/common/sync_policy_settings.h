// A tenant's "sync_policies" setting (docs/sync-policies.md), as the tenants file spells it:
//   "sync_policies": "all"                                          (the default: every record)
//   "sync_policies": ["active_customers", "active_customer_agreements"]
//   "sync_policies": {"policies": [...] | "all", "require_contact": true, "suppress_echoes": true}
// Both the full tenants loader and normalize's credential-free reader parse it here.
#pragma once

#include <simdjson.h>

#include <map>
#include <string>
#include <string_view>

#include "common/result.h"
#include "common/sync_policy.h"
#include "common/tenant_table.h"

namespace switchyard {

// `path` names the setting itself ("tenants[0].sync_policies") in errors.
Result<policy::SyncPolicies> parse_sync_policies(simdjson::dom::element value, const std::string& path);

using SyncPoliciesByTenant = TenantTable<policy::SyncPolicies>::Map;

// Every tenant's setting from the tenants file or directory, without resolving any secret.
// Tenants without "sync_policies" are left out (they sync everything).
Result<SyncPoliciesByTenant> parse_tenant_sync_policies(std::string_view json);
Result<SyncPoliciesByTenant> read_tenant_sync_policies(const std::string& path);

// The settings in force (a reload reaches every copy).
using TenantSyncPolicies = TenantTable<policy::SyncPolicies>;

// The tenant's setting in `table`, or the default (all).
const policy::SyncPolicies& sync_policies_of(const SyncPoliciesByTenant& table, std::string_view tenant);

}  // namespace switchyard
