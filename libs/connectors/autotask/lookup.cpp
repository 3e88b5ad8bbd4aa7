// Autotask's set-up lists (Connector::lookup). Queues, statuses, priorities and ticket types are
// picklists of Tickets (GET /V1.0/Tickets/entityInformation/fields: one answer holds them all);
// Autotask keeps them per instance, not per queue, so ?board= narrows nothing. Contracts come
// from POST /V1.0/Contracts/query (by companyID when asked), products from
// POST /V1.0/Products/query; both page by nextPageUrl, at most 500 records a page.
#include <simdjson.h>

#include "common/json_writer.h"
#include "connectors/autotask/autotask_connector.h"
#include "connectors/autotask/picklists.h"
#include "connectors/lookup_list.h"
#include "connectors/write_values.h"

namespace switchyard::connectors::autotask {
namespace {

constexpr int kMaxRecords = 500;  // Autotask's most per query page

// The Tickets field whose picklist is `list`.
std::string_view picklist_field(std::string_view list) {
  if (list == "boards") return "queueID";
  if (list == "statuses") return "status";
  if (list == "priorities") return "priority";
  if (list == "ticket_types") return "ticketType";
  return {};
}

Result<std::vector<LookupItem>> picklist(PsaHttp& http, const Tenant& tenant, std::string_view field,
                                         std::string_view psa) {
  auto body = lookup_call(
      http, {.method = "GET", .url = tenant.base_url + "/V1.0/Tickets/entityInformation/fields", .headers = auth_headers(tenant)},
      psa);
  if (!body) return body.error();
  simdjson::dom::parser parser;
  simdjson::dom::array fields;
  if (parser.parse(*body)["fields"].get(fields) != simdjson::SUCCESS) {
    return make_error("invalid_payload", "Autotask: Tickets/entityInformation/fields has no fields array");
  }
  if (const auto values = picklist_values(fields, field)) {
    std::vector<LookupItem> items;
    for (const PicklistValue& v : *values) {
      items.push_back({std::string(v.value), std::string(v.label), v.active});
      if (items.size() > kLookupCap) break;
    }
    return items;
  }
  return make_error("invalid_payload", "Autotask: Tickets has no " + std::string(field) + " picklist");
}

// Every record of a QueryModel query on `entity`, first page POSTed, later pages at nextPageUrl.
Result<std::vector<LookupItem>> query(PsaHttp& http, const Tenant& tenant, const std::string& entity,
                                      const std::string& filter_field, const std::string& filter_value,
                                      std::string_view psa) {
  JsonWriter q;
  q.begin_object().field("MaxRecords", kMaxRecords).key("Filter").begin_array();
  if (filter_field.empty()) {
    q.begin_object().field("op", "gte").field("field", "id").field("value", static_cast<int64_t>(0)).end_object();
  } else {
    q.begin_object().field("op", "eq").field("field", filter_field).field("value", static_cast<int64_t>(std::stoll(filter_value))).end_object();
  }
  q.end_array().end_object();
  const bool contracts = entity == "Contracts";
  std::vector<LookupItem> items;
  std::string url = tenant.base_url + "/V1.0/" + entity + "/query";
  simdjson::dom::parser parser;
  const int max_pages = static_cast<int>(kLookupCap / kMaxRecords) + 1;
  for (int page = 0; page < max_pages && !url.empty() && items.size() <= kLookupCap; ++page) {
    auto body = lookup_call(http, {.method = page == 0 ? "POST" : "GET", .url = url, .headers = auth_headers(tenant),
                                   .body = page == 0 ? q.take() : ""},
                            psa);
    if (!body) return body.error();
    simdjson::dom::element root;
    simdjson::dom::array records;
    if (parser.parse(*body).get(root) != simdjson::SUCCESS || root["items"].get(records) != simdjson::SUCCESS) {
      return make_error("invalid_payload", "Autotask: " + entity + "/query answered no items array");
    }
    for (simdjson::dom::element r : records) {
      const auto id = lookup_id(r);
      if (!id) continue;
      if (contracts) {
        // status: 1 Active, 0 Inactive (the Contracts status picklist's defaults).
        int64_t status = 0;
        const bool active = r["status"].get(status) == simdjson::SUCCESS && status == 1;
        items.push_back({*id, lookup_text(r, "contractName"), active});
      } else {
        bool active = true;
        if (r["isActive"].get(active) != simdjson::SUCCESS) active = true;
        items.push_back({*id, lookup_text(r, "name"), active});
      }
    }
    std::string_view next;
    url = root["pageDetails"]["nextPageUrl"].get(next) == simdjson::SUCCESS ? std::string(next) : "";
  }
  return items;
}

}  // namespace

Result<std::vector<LookupItem>> AutotaskConnector::lookup(const Tenant& tenant, PsaHttp& http,
                                                          const LookupQuery& lookup_query) const {
  const std::string& list = lookup_query.list;
  if (const std::string_view field = picklist_field(list); !field.empty()) {
    return picklist(http, tenant, field, display_name());
  }
  if (list == "agreements") {
    if (!lookup_query.company_id.empty() && !is_numeric_id(lookup_query.company_id)) {
      return make_error("invalid_filter", "an Autotask company id is a number");
    }
    return query(http, tenant, "Contracts", lookup_query.company_id.empty() ? "" : "companyID",
                 lookup_query.company_id, display_name());
  }
  if (list == "products") return query(http, tenant, "Products", "", "", display_name());
  return not_supported("the set-up list \"" + list + "\"");
}

}  // namespace switchyard::connectors::autotask
