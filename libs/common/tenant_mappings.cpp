#include "common/tenant_mappings.h"

#include <simdjson.h>

#include <functional>

#include "common/tenant_objects.h"

namespace switchyard {
namespace {

// One tenant object: adds its mappings, when it has any, under its id.
Status add_tenant(simdjson::dom::object tenant, std::string_view id, const std::string& path, MappingsByTenant& out) {
  simdjson::dom::element value;
  if (tenant["mappings"].get(value) != simdjson::SUCCESS) return ok_status();
  simdjson::dom::object mappings;
  if (value.get(mappings) != simdjson::SUCCESS) return make_error("invalid_tenants", path + ".mappings: must be an object");
  auto parsed = parse_mappings(mappings, path + ".mappings");
  if (!parsed) return parsed.error();
  out.insert_or_assign(std::string(id), std::move(*parsed));
  return ok_status();
}

Result<MappingsByTenant> collect(const std::function<Status(const TenantObjectVisitor&)>& walk) {
  MappingsByTenant out;
  auto st = walk([&](simdjson::dom::object tenant, std::string_view id, const std::string& path) {
    return add_tenant(tenant, id, path, out);
  });
  if (!st) return st.error();
  return out;
}

}  // namespace

Result<MappingsByTenant> parse_tenant_mappings(std::string_view json) {
  return collect([&](const TenantObjectVisitor& visit) { return for_each_tenant_object(json, visit); });
}

Result<MappingsByTenant> read_tenant_mappings(const std::string& path) {
  return collect([&](const TenantObjectVisitor& visit) { return for_each_tenant_object_at(path, visit); });
}

const Mappings& mappings_of(const MappingsByTenant& table, std::string_view tenant) {
  static const Mappings kNone;
  auto it = table.find(tenant);
  return it == table.end() ? kNone : it->second;
}

}  // namespace switchyard
