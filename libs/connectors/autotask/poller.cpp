// Polling Autotask with a QueryModel (docs/psa/autotask.md#5-polling):
//   POST /V1.0/Tickets/query {"MaxRecords":500,"Filter":[{"op":"gte","field":"lastActivityDate","value":since}]}
// Each entity filters on its own change stamp (fields.h change_field: lastActivityDate,
// lastModifiedDate, lastModifiedDateTime, lastModifiedTime). Autotask cannot sort a query: it
// answers in id order, at most MaxRecords (500) a page, and its nextPageUrl is the same query
// restricted to ids after the page's last one. So a delta is read to its last page before the
// caller may move its watermark (a later page can hold records older than those already read),
// and the cursor of a delta is the last id read: a call that resumes asks for the same filter
// plus "id > cursor", which is the page Autotask's own nextPageUrl would have served. A
// backfill (empty `since`) is the filter "id > cursor" alone.
//
// Contracts come with their services: each page of contracts is followed by one query of their
// ContractServices and one of the ContractServiceUnits in force today, read into each contract
// ("contractServices") so the mapper can give the agreement its recurring value and vendor.
#include <simdjson.h>

#include <map>

#include "common/json_writer.h"
#include "common/time_format.h"
#include "connectors/autotask/autotask_connector.h"
#include "connectors/autotask/fields.h"
#include "connectors/autotask/zone.h"

namespace switchyard::connectors::autotask {
namespace {

// Pages of a contract page's services read at most (500 a page).
constexpr int kMaxServicePages = 10;

bool is_id(std::string_view text) {
  return !text.empty() && text.size() <= 18 && text.find_first_not_of("0123456789") == std::string_view::npos;
}

bool pollable(std::string_view type) {
  return type == "ticket" || type == "company" || type == "contact" || type == "configuration" ||
         type == "agreement";
}

std::string first_query(const PollRequest& request, int page_size) {
  JsonWriter q;
  q.begin_object().field("MaxRecords", page_size).key("Filter").begin_array();
  if (!request.since.empty()) {
    q.begin_object().field("op", "gte").field("field", change_field(request.entity)).field("value", request.since).end_object();
  }
  if (!request.cursor.empty()) {
    q.begin_object().field("op", "gt").field("field", "id").field("value", static_cast<int64_t>(std::stoll(request.cursor))).end_object();
  } else if (request.since.empty()) {
    q.begin_object().field("op", "gte").field("field", "id").field("value", 0).end_object();
  }
  q.end_array().end_object();
  return q.take();
}

Error poll_error(const http::ClientResponse& r, std::string_view entity) {
  return make_error("psa_error", "autotask answered " + std::to_string(r.status) + " to a poll of " + std::string(entity));
}

// Every record of a query, following nextPageUrl up to `max_pages` (minified JSON objects).
Result<std::vector<std::string>> query_all(PsaHttp& http, const Tenant& tenant, const std::string& entity,
                                           const std::string& body, int max_pages) {
  std::vector<std::string> out;
  std::string url = tenant.base_url + "/V1.0/" + entity + "/query";
  simdjson::dom::parser parser;
  for (int page = 0; page < max_pages && !url.empty(); ++page) {
    http::ClientRequest call{.method = page == 0 ? "POST" : "GET", .url = url, .headers = auth_headers(tenant),
                             .body = page == 0 ? body : ""};
    auto response = http.send(call);
    if (!response) return response.error();
    if (response->status != 200) return poll_error(*response, entity);
    simdjson::dom::element root;
    simdjson::dom::array items;
    if (parser.parse(response->body).get(root) != simdjson::SUCCESS || root["items"].get(items) != simdjson::SUCCESS) {
      return make_error("invalid_payload", "autotask " + entity + " query: no items array");
    }
    for (simdjson::dom::element item : items) {
      if (item.is_object()) out.emplace_back(simdjson::minify(item));
    }
    std::string_view next;
    url = root["pageDetails"]["nextPageUrl"].get(next) == simdjson::SUCCESS ? std::string(next) : "";
  }
  if (!url.empty()) return make_error("too_many_records", "autotask " + entity + ": more than " +
                                                              std::to_string(max_pages) + " pages for one page of contracts");
  return out;
}

std::string in_query(const std::vector<std::string>& contract_ids, bool in_force_today) {
  JsonWriter q;
  q.begin_object().field("MaxRecords", 500).key("Filter").begin_array();
  q.begin_object().field("op", "in").field("field", "contractID").key("value").begin_array();
  for (const auto& id : contract_ids) q.value(static_cast<int64_t>(std::stoll(id)));
  q.end_array().end_object();
  if (in_force_today) {
    const std::string now = format_rfc3339_utc_seconds(std::chrono::system_clock::now());
    q.begin_object().field("op", "lte").field("field", "startDate").field("value", now).end_object();
    q.begin_object().field("op", "gte").field("field", "endDate").field("value", now).end_object();
  }
  q.end_array().end_object();
  return q.take();
}

// A contract page's services, each with its units in force ("units", "periodPrice",
// "vendorCompanyID"), grouped by contract id.
Result<std::map<std::string, std::vector<std::string>>> contract_services(PsaHttp& http, const Tenant& tenant,
                                                                          const std::vector<std::string>& ids) {
  std::map<std::string, std::vector<std::string>> by_contract;
  if (ids.empty()) return by_contract;
  auto services = query_all(http, tenant, "ContractServices", in_query(ids, false), kMaxServicePages);
  if (!services) return services.error();
  auto units = query_all(http, tenant, "ContractServiceUnits", in_query(ids, true), kMaxServicePages);
  if (!units) return units.error();
  struct InForce {
    std::optional<double> units, price;
    std::optional<std::string> vendor;
  };
  simdjson::dom::parser parser;
  std::map<std::string, InForce> in_force;  // by contractServiceID
  for (const auto& text : *units) {
    simdjson::dom::object unit;
    if (parser.parse(text).get(unit) != simdjson::SUCCESS) continue;
    auto service_id = text_of(unit, "contractServiceID");
    if (!service_id) continue;
    in_force[*service_id] = InForce{number_of(unit, "units"), number_of(unit, "price"), text_of(unit, "vendorCompanyID")};
  }
  for (const auto& text : *services) {
    simdjson::dom::object service;
    if (parser.parse(text).get(service) != simdjson::SUCCESS) continue;
    auto id = text_of(service, "id");
    auto contract = text_of(service, "contractID");
    if (!id || !contract) continue;
    JsonWriter w;
    w.begin_object();
    for (auto [key, value] : service) {
      if (key != "units" && key != "periodPrice" && key != "vendorCompanyID") w.key(key).raw(simdjson::minify(value));
    }
    if (auto found = in_force.find(*id); found != in_force.end()) {
      if (found->second.units) w.field("units", *found->second.units);
      if (found->second.price) w.field("periodPrice", *found->second.price);
      if (found->second.vendor) w.field("vendorCompanyID", *found->second.vendor);
    }
    w.end_object();
    by_contract[*contract].push_back(w.take());
  }
  return by_contract;
}

// The contract with its services as "contractServices".
std::string with_services(simdjson::dom::object contract, const std::vector<std::string>& services) {
  JsonWriter w;
  w.begin_object();
  for (auto [key, value] : contract) {
    if (key != "contractServices") w.key(key).raw(simdjson::minify(value));
  }
  w.key("contractServices").begin_array();
  for (const auto& s : services) w.raw(s);
  w.end_array().end_object();
  return w.take();
}

}  // namespace

Result<PollResult> AutotaskConnector::poll(const Tenant& tenant, PsaHttp& psa, const PollRequest& request) const {
  ZoneHttp http(tenant, psa);  // every call to the tenant's zone (zone.h)
  const std::string_view entity = entity_of(request.entity);
  if (entity.empty() || !pollable(request.entity)) {
    return make_error("unsupported_entity", "autotask: cannot poll \"" + request.entity + "\"");
  }
  if (!request.cursor.empty() && !is_id(request.cursor)) {
    return make_error("invalid_cursor", "autotask: poll cursor \"" + request.cursor + "\" is not an id");
  }
  const int page_size = page_size_of(request, spec().page_sizes);
  const int max_pages = std::max(1, request.max_pages);

  PollResult result;
  result.complete = false;
  result.cursor = request.cursor;
  std::string url = tenant.base_url + "/V1.0/" + std::string(entity) + "/query";
  const std::string body = first_query(request, page_size);
  simdjson::dom::parser parser;
  while (result.pages < max_pages) {
    // The first page is a POST of the QueryModel; later pages follow nextPageUrl verbatim.
    const bool first = result.pages == 0;
    http::ClientRequest call{.method = first ? "POST" : "GET", .url = url, .headers = auth_headers(tenant),
                             .body = first ? body : ""};
    auto response = http.send(call);
    ++result.pages;
    if (!response) return response.error();
    if (response->status != 200) return poll_error(*response, entity);
    simdjson::dom::element root;
    simdjson::dom::array items;
    if (parser.parse(response->body).get(root) != simdjson::SUCCESS || root["items"].get(items) != simdjson::SUCCESS) {
      return make_error("invalid_payload", "autotask poll: no items array");
    }
    std::vector<std::pair<std::string, simdjson::dom::object>> page;  // (id, record) of this page
    for (simdjson::dom::element item : items) {
      simdjson::dom::object record;
      if (item.get(record) != simdjson::SUCCESS) continue;
      auto id = record_id_text(record);
      if (!id || !is_id(*id)) continue;
      // Ids come in ascending order; the largest one read is where the next call resumes.
      if (result.cursor.empty() || id->size() > result.cursor.size() ||
          (id->size() == result.cursor.size() && *id > result.cursor)) {
        result.cursor = *id;
      }
      page.emplace_back(*id, record);
    }
    std::map<std::string, std::vector<std::string>> services;
    if (request.entity == "agreement") {
      std::vector<std::string> ids;
      for (const auto& entry : page) ids.push_back(entry.first);
      auto found = contract_services(http, tenant, ids);
      if (!found) return found.error();
      services = std::move(*found);
    }
    for (const auto& [id, record] : page) {
      auto version = version_of(record, request.entity);
      if (!version) continue;
      if (*version > result.high_watermark) result.high_watermark = *version;
      if (request.entity != "agreement") {
        result.changes.push_back(Change{request.entity, id, "updated", *version, std::string(simdjson::minify(record))});
        continue;
      }
      result.changes.push_back(Change{request.entity, id, "updated", *version, with_services(record, services[id])});
    }
    std::string_view next;
    url = root["pageDetails"]["nextPageUrl"].get(next) == simdjson::SUCCESS ? std::string(next) : "";
    if (url.empty()) {
      result.complete = true;
      break;
    }
  }
  return result;
}

}  // namespace switchyard::connectors::autotask
