// Syncro's set-up lists (Connector::lookup). Syncro has no boards or queues. Ticket statuses
// (strings: the id is the name, which is what tickets carry) and ticket types come from
// GET /tickets/settings, priorities (strings) from GET /settings. Contracts and products are
// paged lists (page=N, meta.total_pages); /contracts takes no customer filter, so a company's
// contracts are picked here by customer_id.
#include <simdjson.h>

#include "connectors/lookup_list.h"
#include "connectors/syncro/syncro_connector.h"
#include "connectors/write_values.h"

namespace switchyard::connectors::syncro {
namespace {

// Strings (or {id, name} objects) of `array` as items; empty strings skipped.
void add_names(simdjson::dom::array array, std::vector<LookupItem>& items) {
  for (simdjson::dom::element e : array) {
    std::string_view name;
    if (e.get(name) == simdjson::SUCCESS) {
      if (!name.empty()) items.push_back({std::string(name), std::string(name), true});
    } else if (const auto id = lookup_id(e); id && e.is_object()) {
      items.push_back({*id, lookup_text(e, "name"), true});
    }
    if (items.size() > kLookupCap) return;
  }
}

}  // namespace

Result<std::vector<LookupItem>> SyncroConnector::lookup(const Tenant& tenant, PsaHttp& http,
                                                       const LookupQuery& query) const {
  const std::string& list = query.list;
  simdjson::dom::parser parser;
  if (list == "statuses" || list == "ticket_types" || list == "priorities") {
    const bool settings = list == "priorities";
    auto body = lookup_call(http, {.method = "GET", .url = api_url(tenant, settings ? "settings" : "tickets/settings"),
                                   .headers = api_headers(tenant)},
                            display_name());
    if (!body) return body.error();
    simdjson::dom::element root;
    simdjson::dom::array values;
    if (parser.parse(*body).get(root) != simdjson::SUCCESS ||
        (settings ? root["ticket"]["priorities"] : root[list == "statuses" ? "ticket_status_list" : "ticket_types"])
                .get(values) != simdjson::SUCCESS) {
      return make_error("invalid_payload", "Syncro: the ticket settings carry no " + list);
    }
    std::vector<LookupItem> items;
    add_names(values, items);
    return items;
  }
  if (list != "agreements" && list != "products") {
    return not_supported(list == "boards" ? std::string("boards or queues (tickets have none)")
                                          : "the set-up list \"" + list + "\"");
  }
  if (!query.company_id.empty() && !is_numeric_id(query.company_id)) {
    return make_error("invalid_filter", "a Syncro customer id is a number");
  }
  const bool contracts = list == "agreements";
  std::vector<LookupItem> items;
  // total_pages bounds the loop; the cap too (a company's contracts are filtered here, so
  // every page of contracts may be read: at most 40 pages of 50).
  const int max_pages = 40;
  for (int page = 1; page <= max_pages && items.size() <= kLookupCap; ++page) {
    auto body = lookup_call(http, {.method = "GET", .url = api_url(tenant, contracts ? "contracts" : "products") +
                                                           "?page=" + std::to_string(page),
                                   .headers = api_headers(tenant)},
                            display_name());
    if (!body) return body.error();
    simdjson::dom::element root;
    simdjson::dom::array records;
    if (parser.parse(*body).get(root) != simdjson::SUCCESS ||
        root[contracts ? "contracts" : "products"].get(records) != simdjson::SUCCESS) {
      return make_error("invalid_payload", std::string("Syncro: /") + (contracts ? "contracts" : "products") +
                                               " answered no list");
    }
    for (simdjson::dom::element r : records) {
      const auto id = lookup_id(r);
      if (!id || !r.is_object()) continue;
      if (contracts && !query.company_id.empty() && lookup_id(r, "customer_id") != query.company_id) continue;
      bool disabled = false;
      if (r["disabled"].get(disabled) != simdjson::SUCCESS) disabled = false;
      const bool active = contracts ? lookup_text(r, "status").empty() || lookup_text(r, "status") == "Active" : !disabled;
      items.push_back({*id, lookup_text(r, "name"), active});
    }
    int64_t total_pages = 1;
    if (root["meta"]["total_pages"].get(total_pages) != simdjson::SUCCESS || page >= total_pages) break;
  }
  return items;
}

}  // namespace switchyard::connectors::syncro
