// Every tenant's "mappings" (common/mappings.h), read from the tenants file or directory
// without resolving any secret: normalize needs them to map records (a company's
// classification) but must never hold a tenant's credentials.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "common/mappings.h"
#include "common/result.h"
#include "common/tenant_table.h"

namespace switchyard {

using MappingsByTenant = TenantTable<Mappings>::Map;

// Tenants without "mappings" are left out. Errors name the field, as the full loader does.
Result<MappingsByTenant> parse_tenant_mappings(std::string_view json);
Result<MappingsByTenant> read_tenant_mappings(const std::string& path);

// The mappings in force (a reload reaches every copy).
using TenantMappings = TenantTable<Mappings>;

// The tenant's mappings in `table`, or an empty set.
const Mappings& mappings_of(const MappingsByTenant& table, std::string_view tenant);

}  // namespace switchyard
