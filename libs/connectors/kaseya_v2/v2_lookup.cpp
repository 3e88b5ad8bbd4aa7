// The v2 PSAs' set-up lists (Connector::lookup; Kaseya BMS, and Pulseway PSA on the same API):
// the instance's lookup tables under /v2/system/{queues,statuses,priorities,issuetypes}/lookup
// (unpaged), contracts at /v2/finance/contracts/lookup (?AccountId=), and the services contracts
// bill at /v2/admin/finance/services/lookup (PageSize/PageNumber, TotalRecords). Ticket types are
// BMS's issue types. Statuses are the instance's, whatever the queue.
#include "connectors/kaseya_v2/v2_connector.h"
#include "connectors/kaseya_v2/v2_json.h"
#include "connectors/lookup_list.h"
#include "connectors/write_values.h"

namespace switchyard::connectors::kaseya_v2 {
namespace {

constexpr int kPageSize = 200;

struct ListSource {
  std::string path;         // below /v2/
  std::string_view label;   // "queues", for messages
  std::string_view permission;
  bool paged = false;
};

// The error a failed Answer is, in the codes the route classifies (connectors/lookup_list.h).
Error error_of(const Answer& a) {
  if (a.code == 429) return make_error("throttled", a.detail);
  if (a.code == 401) return make_error("credentials_refused", a.detail);
  if (a.code == 403) return make_error("forbidden", a.detail);
  return make_error("psa_error", a.detail);
}

}  // namespace

Result<std::vector<LookupItem>> V2Connector::lookup(const Tenant& tenant, PsaHttp& http, const LookupQuery& query) const {
  const std::string& list = query.list;
  ListSource source;
  if (list == "boards") {
    source = {"system/queues/lookup", "queues", "Service Desk"};
  } else if (list == "statuses") {
    source = {"system/statuses/lookup", "statuses", "Service Desk"};
  } else if (list == "priorities") {
    source = {"system/priorities/lookup", "priorities", "Service Desk"};
  } else if (list == "ticket_types") {
    source = {"system/issuetypes/lookup", "issue types", "Service Desk"};
  } else if (list == "agreements") {
    source = {"finance/contracts/lookup", "contracts", "Finance > Contracts"};
    if (!query.company_id.empty()) {
      if (!is_numeric_id(query.company_id)) return make_error("invalid_filter", "an account id is a number");
      source.path += "?AccountId=" + query.company_id;
    }
  } else if (list == "products") {
    source = {"admin/finance/services/lookup", "services", "Admin > Finance", true};
  } else {
    return not_supported("the set-up list \"" + list + "\"");
  }

  simdjson::dom::parser parser;
  const auto read_page = [&](int page, std::vector<LookupItem>& items) -> Result<size_t> {
    std::string url = api_url(tenant, source.path);
    if (source.paged) url += "?PageSize=" + std::to_string(kPageSize) + "&PageNumber=" + std::to_string(page);
    auto response = http.send({.method = "GET", .url = std::move(url), .headers = json_headers()});
    if (!response) return response.error();
    const Answer answer = read_answer(parser, *response, flavor(), "reading " + std::string(source.label), source.permission);
    if (!answer.ok) return error_of(answer);
    simdjson::dom::array records;
    if (answer.result.get(records) != simdjson::SUCCESS) {
      return make_error("invalid_payload", std::string(display_name()) + ": " + source.path + " answered no list");
    }
    for (simdjson::dom::element e : records) {
      simdjson::dom::object record;
      if (e.get(record) != simdjson::SUCCESS) continue;
      auto id = id_text(record, "Id");
      if (!id) continue;
      items.push_back({*id, text(record, "Name").value_or(""), flag(record, "IsActive").value_or(true)});
    }
    return records.size();
  };
  if (source.paged) return read_numbered_pages(kPageSize, read_page);
  std::vector<LookupItem> items;
  auto read = read_page(1, items);
  if (!read) return read.error();
  if (items.size() > kLookupCap + 1) items.resize(kLookupCap + 1);
  return items;
}

}  // namespace switchyard::connectors::kaseya_v2
