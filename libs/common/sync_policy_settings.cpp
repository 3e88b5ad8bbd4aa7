#include "common/sync_policy_settings.h"

#include <functional>

#include "common/json_read.h"
#include "common/tenant_objects.h"

namespace switchyard {
namespace {

Status set_policies(simdjson::dom::element value, const std::string& path, policy::SyncPolicies& out) {
  std::string_view one;
  if (value.get(one) == simdjson::SUCCESS) {
    if (one == "all") return ok_status();
    if (one == policy::kActiveCustomers) out.active_customers = true;
    else if (one == policy::kActiveCustomerAgreements) out.active_customer_agreements = true;
    else return json::invalid_field(path, "must be \"all\", \"active_customers\" or \"active_customer_agreements\"");
    return ok_status();
  }
  simdjson::dom::array names;
  if (value.get(names) != simdjson::SUCCESS) return json::invalid_field(path, "must be \"all\" or a list of policies");
  size_t index = 0;
  for (simdjson::dom::element name : names) {
    const std::string item = json::index_path(path, index++);
    std::string_view text;
    if (name.get(text) != simdjson::SUCCESS || text == "all") {
      return json::invalid_field(item, "must be \"active_customers\" or \"active_customer_agreements\"");
    }
    if (auto st = set_policies(name, item, out); !st) return st;
  }
  return ok_status();
}

Result<SyncPoliciesByTenant> collect(const std::function<Status(const TenantObjectVisitor&)>& walk) {
  SyncPoliciesByTenant out;
  auto st = walk([&](simdjson::dom::object tenant, std::string_view id, const std::string& path) -> Status {
    simdjson::dom::element value;
    if (tenant["sync_policies"].get(value) != simdjson::SUCCESS) return ok_status();
    auto parsed = parse_sync_policies(value, path + ".sync_policies");
    if (!parsed) return parsed.error();
    out.insert_or_assign(std::string(id), *parsed);
    return ok_status();
  });
  if (!st) return st.error();
  return out;
}

}  // namespace

Result<policy::SyncPolicies> parse_sync_policies(simdjson::dom::element value, const std::string& path) {
  policy::SyncPolicies out;
  simdjson::dom::object settings;
  if (value.get(settings) != simdjson::SUCCESS) {
    if (auto st = set_policies(value, path, out); !st) return st.error();
    return out;
  }
  for (auto [key, member] : settings) {
    if (key != "policies" && key != "require_contact" && key != "suppress_echoes") {
      return json::invalid_field(json::join_path(path, key), "unknown field");
    }
  }
  simdjson::dom::element policies;
  if (settings["policies"].get(policies) == simdjson::SUCCESS) {
    if (auto st = set_policies(policies, json::join_path(path, "policies"), out); !st) return st.error();
  }
  auto require_contact = json::optional_bool(settings, "require_contact", path, false);
  if (!require_contact) return require_contact.error();
  auto suppress_echoes = json::optional_bool(settings, "suppress_echoes", path, false);
  if (!suppress_echoes) return suppress_echoes.error();
  out.require_contact = *require_contact;
  out.suppress_echoes = *suppress_echoes;
  if (out.require_contact && out.all()) {
    return json::invalid_field(json::join_path(path, "require_contact"),
                               "applies to the policies; name \"active_customers\" or \"active_customer_agreements\"");
  }
  return out;
}

Result<SyncPoliciesByTenant> parse_tenant_sync_policies(std::string_view json) {
  return collect([&](const TenantObjectVisitor& visit) { return for_each_tenant_object(json, visit); });
}

Result<SyncPoliciesByTenant> read_tenant_sync_policies(const std::string& path) {
  return collect([&](const TenantObjectVisitor& visit) { return for_each_tenant_object_at(path, visit); });
}

const policy::SyncPolicies& sync_policies_of(const SyncPoliciesByTenant& table, std::string_view tenant) {
  static const policy::SyncPolicies kAll;
  auto it = table.find(tenant);
  return it == table.end() ? kAll : it->second;
}

}  // namespace switchyard
