#include "psa-sandbox/syncro/syncro_model.h"

#include "common/time_format.h"

namespace switchyard::sandbox::syncro {

const std::vector<SyncroResource>& syncro_resources() {
  // Page sizes as the spec's list examples report them in meta.per_page.
  static const std::vector<SyncroResource> kResources{
      {"tickets", "tickets", "ticket", 25, true},
      {"customers", "customers", "customer", 100},
      {"contacts", "contacts", "contact", 50},
      {"contracts", "contracts", "contract", 50},
      {"customer_assets", "assets", "asset", 25},
      {"schedules", "schedules", "schedule", 25},
      {"products", "products", "product", 25},
  };
  return kResources;
}

const SyncroResource* syncro_resource(std::string_view path) {
  for (const auto& r : syncro_resources()) {
    if (r.path == path) return &r;
  }
  return nullptr;
}

std::string syncro_store_key(const SyncroResource& resource) {
  std::string key = "syncro/";
  key.append(resource.path);
  return key;
}

std::string syncro_now() { return format_rfc3339_utc(std::chrono::system_clock::now()); }

}  // namespace switchyard::sandbox::syncro
