// HaloPSA's set-up lists (Connector::lookup). Teams are Halo's queues (a ticket's "team"):
// GET /Team; statuses GET /Status; priorities GET /Priority (schema Policy: tickets carry its
// priorityid); ticket types GET /TicketType (schema RequestType). These answer bare arrays.
// Contracts GET /ClientContract (?client_id=), products GET /Item: both paged with
// pageinate=true&page_size&page_no and answered {record_count, contracts|items:[...]}.
// Statuses are the instance's, whatever the team.
#include <simdjson.h>

#include "connectors/halopsa/halopsa_connector.h"
#include "connectors/lookup_list.h"
#include "connectors/write_values.h"

namespace switchyard::connectors::halopsa {
namespace {

constexpr int kPageSize = 200;

struct ListSource {
  std::string path;               // below /api/, with any filter
  std::string_view member{};      // the list inside a paged answer ("items"); empty: a bare array
  std::string_view id_key = "id";
  std::string_view name_key = "name";
  std::string_view inactive_key{};  // true = inactive ("inactive", "ishidden")
  std::string_view visible_key{};   // false = inactive ("visible")
};

bool flag_is(simdjson::dom::element record, std::string_view key, bool value) {
  bool b = false;
  return !key.empty() && record[key].get(b) == simdjson::SUCCESS && b == value;
}

}  // namespace

Result<std::vector<LookupItem>> HaloConnector::lookup(const Tenant& tenant, PsaHttp& http,
                                                         const LookupQuery& query) const {
  const std::string& list = query.list;
  ListSource source;
  if (list == "boards") {
    source = {.path = "Team", .inactive_key = "inactive"};
  } else if (list == "statuses") {
    source = {.path = "Status"};
  } else if (list == "priorities") {
    source = {.path = "Priority", .id_key = "priorityid", .inactive_key = "ishidden"};
  } else if (list == "ticket_types") {
    source = {.path = "TicketType", .visible_key = "visible"};
  } else if (list == "agreements") {
    source = {.path = "ClientContract", .member = "contracts", .name_key = "ref"};
    if (!query.company_id.empty()) {
      if (!is_numeric_id(query.company_id)) return make_error("invalid_filter", "a HaloPSA client id is a number");
      source.path += "?client_id=" + query.company_id;
    }
  } else if (list == "products") {
    source = {.path = "Item", .member = "items"};
  } else {
    return not_supported("the set-up list \"" + list + "\"");
  }

  simdjson::dom::parser parser;
  const auto read_page = [&](int page, std::vector<LookupItem>& items) -> Result<size_t> {
    std::string url = api_url(tenant, source.path);
    if (!source.member.empty()) {
      url += source.path.find('?') == std::string::npos ? "?" : "&";
      url += "pageinate=true&page_size=" + std::to_string(kPageSize) + "&page_no=" + std::to_string(page);
    }
    auto body = lookup_call(http, {.method = "GET", .url = url, .headers = {{"Accept", "application/json"}}}, display_name());
    if (!body) return body.error();
    simdjson::dom::element root;
    simdjson::dom::array records;
    const bool parsed = parser.parse(*body).get(root) == simdjson::SUCCESS;
    // A bare array, or the paged object's member (either, as Halo's answers vary by version).
    if (!parsed || (root.get(records) != simdjson::SUCCESS &&
                    (source.member.empty() || root[source.member].get(records) != simdjson::SUCCESS))) {
      return make_error("invalid_payload", "HaloPSA: /" + source.path + " answered no list");
    }
    for (simdjson::dom::element record : records) {
      if (!record.is_object()) continue;
      const auto id = lookup_id(record, source.id_key);
      if (!id) continue;
      const bool inactive = flag_is(record, source.inactive_key, true) || flag_is(record, source.visible_key, false) ||
                            (list == "agreements" && flag_is(record, "active", false));
      items.push_back({*id, lookup_text(record, source.name_key), !inactive});
    }
    return records.size();
  };
  if (!source.member.empty()) return read_numbered_pages(kPageSize, read_page);
  std::vector<LookupItem> items;
  auto read = read_page(1, items);
  if (!read) return read.error();
  if (items.size() > kLookupCap + 1) items.resize(kLookupCap + 1);
  return items;
}

}  // namespace switchyard::connectors::halopsa
