// The ids of the configured tenants, read from the tenants file without resolving any secret:
// services that only need to know which tenants exist (normalize, for bounded metric labels)
// read this much and no credential.
#pragma once

#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>

#include "common/result.h"

namespace switchyard {

using TenantIds = std::set<std::string, std::less<>>;

// The rule every tenant id follows: 1-64 characters of a-z, 0-9, '-' or '_'. So an id never
// holds a delimiter of the Redis keys it is part of (':', '{', '}', '/', ' ') nor a glob
// character (common/tenant_keys.h relies on both).
bool valid_tenant_id(std::string_view id);

Result<TenantIds> parse_tenant_ids(std::string_view json);
// The tenants file, or a tenants directory (common/tenants.h): there the ids are the names of
// its <id>.json files.
Result<TenantIds> read_tenant_ids(const std::string& path);
// Throws ConfigError naming the file when it cannot be read or parsed.
TenantIds load_tenant_ids(const std::string& path);

// A metric label for a tenant named by a message: the tenant itself when configured, "" when
// not, so a bad producer cannot create unbounded series. Copies share one set, so a reload
// (replace) reaches every copy. Thread-safe.
class TenantLabels {
 public:
  TenantLabels() = default;
  explicit TenantLabels(TenantIds ids) { replace(std::move(ids)); }
  std::string operator()(std::string_view tenant) const {
    return ids()->contains(tenant) ? std::string(tenant) : std::string();
  }
  // False when `ids` are the ones in force already.
  bool replace(TenantIds ids);

 private:
  struct Shared {
    std::mutex mutex;
    std::shared_ptr<const TenantIds> ids = std::make_shared<const TenantIds>();
  };
  std::shared_ptr<const TenantIds> ids() const;
  std::shared_ptr<Shared> shared_ = std::make_shared<Shared>();
};

}  // namespace switchyard
