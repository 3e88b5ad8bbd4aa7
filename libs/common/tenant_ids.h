// The ids of the configured tenants, read from the tenants file without resolving any secret:
// services that only need to know which tenants exist (normalize, for bounded metric labels)
// read this much and no credential.
#pragma once

#include <set>
#include <string>
#include <string_view>

#include "common/result.h"

namespace switchyard {

Result<std::set<std::string, std::less<>>> parse_tenant_ids(std::string_view json);
// Throws ConfigError naming the file when it cannot be read or parsed.
std::set<std::string, std::less<>> load_tenant_ids(const std::string& path);

// A metric label for a tenant named by a message: the tenant itself when configured, "" when
// not, so a bad producer cannot create unbounded series.
class TenantLabels {
 public:
  TenantLabels() = default;
  explicit TenantLabels(std::set<std::string, std::less<>> ids) : ids_(std::move(ids)) {}
  std::string operator()(std::string_view tenant) const {
    return ids_.contains(tenant) ? std::string(tenant) : std::string();
  }

 private:
  std::set<std::string, std::less<>> ids_;
};

}  // namespace switchyard
