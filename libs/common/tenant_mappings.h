// Every tenant's "mappings" (common/mappings.h), read from the tenants file or directory
// without resolving any secret: normalize needs them to map records (a company's
// classification) but must never hold a tenant's credentials.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "common/mappings.h"
#include "common/result.h"

namespace switchyard {

using MappingsByTenant = std::map<std::string, Mappings, std::less<>>;

// Tenants without "mappings" are left out. Errors name the field, as the full loader does.
Result<MappingsByTenant> parse_tenant_mappings(std::string_view json);
Result<MappingsByTenant> read_tenant_mappings(const std::string& path);

// The mappings in force; copies share one table, so a reload (replace) reaches every copy.
// Thread-safe.
class TenantMappings {
 public:
  TenantMappings() = default;
  explicit TenantMappings(MappingsByTenant mappings) { replace(std::move(mappings)); }
  std::shared_ptr<const MappingsByTenant> snapshot() const;
  // False when `mappings` are the ones in force already.
  bool replace(MappingsByTenant mappings);

 private:
  struct Shared {
    std::mutex mutex;
    std::shared_ptr<const MappingsByTenant> table = std::make_shared<const MappingsByTenant>();
  };
  std::shared_ptr<Shared> shared_ = std::make_shared<Shared>();
};

// The tenant's mappings in `table`, or an empty set.
const Mappings& mappings_of(const MappingsByTenant& table, std::string_view tenant);

}  // namespace switchyard
