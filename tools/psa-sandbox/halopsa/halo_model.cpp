#include "psa-sandbox/halopsa/halo_model.h"

#include "common/time_format.h"
#include "psa-sandbox/json_value.h"

namespace switchyard::sandbox::halopsa {

const std::vector<HaloResource>& halo_resources() {
  // Change fields per the Halo schemas: Faults.last_update, Area.alastupdate,
  // Users.ulastupdate, Device.dlastupdate, ContractHeader.last_modified, Site.slastupdate.
  // Actions ("datetime") and recurring invoices and their lines have no change filter; the
  // recurring invoice lines are written at /RecurringInvoice/Lines.
  static const std::vector<HaloResource> kResources{
      {"Tickets", "tickets", "last_update", true, "search_supplier_reference", "supplier_reference"},
      {"Client", "clients", "alastupdate"},
      {"Users", "users", "ulastupdate"},
      {"Asset", "assets", "dlastupdate", true, "", "", "client_id"},
      {"ClientContract", "contracts", "last_modified", false, "", "", "client_id"},
      // The product catalog (schema Item), for the set-up lists; no change filter.
      {"Item", "items", "", false},
      // /Site takes lastupdatefromdate and client_id like /Client and /Asset.
      {"Site", "sites", "slastupdate", true, "", "", "client_id"},
      {"Actions", "actions", "datetime", false, "", "", "ticket_id"},
      {"RecurringInvoice", "invoices", "", false},
      {"RecurringInvoice/Lines", "lines", "", false, "", "", "ihid"},
  };
  return kResources;
}

const HaloResource* halo_resource(std::string_view path) {
  for (const auto& r : halo_resources()) {
    if (iequals(r.path, path)) return &r;
  }
  return nullptr;
}

std::string halo_store_key(const HaloResource& resource) { return "halopsa/" + std::string(resource.path); }

std::string halo_now() { return format_rfc3339_utc_seconds(std::chrono::system_clock::now()); }

}  // namespace switchyard::sandbox::halopsa
