// ConnectWise Manage's set-up lists (Connector::lookup): boards, a board's statuses and ticket
// types, priorities, agreements (of a company), catalog products. Every list pages with
// page/pageSize (at most 1000 a page; 200 keeps each answer small) until a short page.
#include <simdjson.h>

#include "connectors/connectwise/connectwise_connector.h"
#include "connectors/lookup_list.h"
#include "connectors/write_values.h"

namespace switchyard::connectors::connectwise {
namespace {

constexpr int kPageSize = 200;

// How one list is read: its path below the API base, an optional conditions clause, and how a
// record's name and "active" are found.
struct ListSource {
  std::string path;
  std::string conditions{};
  const char* inactive_flag = "inactiveFlag";  // true = inactive; nullptr: always active
};

bool flag(simdjson::dom::element record, const char* key) {
  bool value = false;
  return key != nullptr && record[key].get(value) == simdjson::SUCCESS && value;
}

std::string name_of(std::string_view list, simdjson::dom::element record) {
  if (list == "products") {
    // A catalog item's description is its name; the identifier ("AV-SEAT") when it has none.
    const std::string description = lookup_text(record, "description");
    return description.empty() ? lookup_text(record, "identifier") : description;
  }
  return lookup_text(record, "name");
}

bool active_of(std::string_view list, simdjson::dom::element record, const ListSource& source) {
  if (list == "agreements") {
    // agreementStatus: Active, Cancelled, Expired, Inactive (docs/psa/connectwise.md).
    const std::string status = lookup_text(record, "agreementStatus");
    return status.empty() ? !flag(record, "cancelledFlag") : status == "Active";
  }
  return !flag(record, source.inactive_flag);
}

}  // namespace

Result<std::vector<LookupItem>> ConnectWiseConnector::lookup(const Tenant& tenant, PsaHttp& http,
                                                             const LookupQuery& query) const {
  const std::string& list = query.list;
  ListSource source;
  if (list == "boards") {
    source = {"/service/boards"};
  } else if (list == "statuses" || list == "ticket_types") {
    // Both are kept per board: /service/boards/{id}/statuses (field "inactive") and /types.
    if (query.board_id.empty()) {
      return make_error(std::string(kLookupNeedsBoard),
                        "ConnectWise Manage keeps " + list + " per service board: add ?board=<board id>");
    }
    if (!is_numeric_id(query.board_id)) return make_error("invalid_filter", "a ConnectWise board id is a number");
    source = {"/service/boards/" + query.board_id + (list == "statuses" ? "/statuses" : "/types"), {},
              list == "statuses" ? "inactive" : "inactiveFlag"};
  } else if (list == "priorities") {
    source = {"/service/priorities", {}, nullptr};
  } else if (list == "agreements") {
    source = {"/finance/agreements"};
    if (!query.company_id.empty()) {
      if (!is_numeric_id(query.company_id)) return make_error("invalid_filter", "a ConnectWise company id is a number");
      source.conditions = "company/id=" + query.company_id;
    }
  } else if (list == "products") {
    source = {"/procurement/catalog"};
  } else {
    return not_supported("the set-up list \"" + list + "\"");
  }

  simdjson::dom::parser parser;
  return read_numbered_pages(kPageSize, [&](int page, std::vector<LookupItem>& items) -> Result<size_t> {
    std::string url = tenant.base_url + source.path + "?page=" + std::to_string(page) +
                      "&pageSize=" + std::to_string(kPageSize) + "&orderBy=id%20asc";
    if (!source.conditions.empty()) url += "&conditions=" + http::url_encode(source.conditions);
    auto body = lookup_call(http, {.method = "GET", .url = url, .headers = auth_headers(tenant)}, display_name());
    if (!body) return body.error();
    simdjson::dom::array records;
    if (parser.parse(*body).get(records) != simdjson::SUCCESS) {
      return make_error("invalid_payload", "ConnectWise Manage: " + source.path + " did not answer a JSON array");
    }
    for (simdjson::dom::element record : records) {
      if (!record.is_object()) continue;
      const auto id = lookup_id(record);
      if (!id) continue;
      items.push_back({*id, name_of(list, record), active_of(list, record, source)});
    }
    return records.size();
  });
}

}  // namespace switchyard::connectors::connectwise
