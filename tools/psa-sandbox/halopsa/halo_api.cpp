#include "psa-sandbox/halopsa/halo_api.h"

#include <algorithm>
#include <cctype>

#include "common/json_writer.h"
#include "common/time_format.h"
#include "psa-sandbox/halopsa/halo_model.h"
#include "psa-sandbox/halopsa/halo_rules.h"
#include "psa-sandbox/json_value.h"

namespace switchyard::sandbox::halopsa {
namespace {

constexpr int64_t kMaxPageSize = 1000;  // what the sandbox serves at most in one page
constexpr int64_t kMaxPageNo = 1'000'000;  // keeps (page_no - 1) * page_size far from overflow

http::Response json_answer(int status, const Value& value) { return http::json_response(status, value.dump()); }

// "Tickets", "Tickets/12" or "RecurringInvoice/Lines" below /halopsa/api/.
struct Route {
  const HaloResource* resource = nullptr;
  std::optional<int64_t> id;
  bool bad_id = false;
};

Route route_of(std::string_view rest) {
  Route route;
  if ((route.resource = halo_resource(rest))) return route;
  const size_t slash = rest.find('/');
  route.resource = halo_resource(rest.substr(0, slash));
  if (slash != std::string_view::npos) {
    route.id = parse_int(rest.substr(slash + 1));
    route.bad_id = !route.id;
  }
  return route;
}

// A record's change time, or nullopt when it has none the sandbox can read.
std::optional<std::chrono::system_clock::time_point> changed_at(const HaloResource& resource, const Value& record) {
  if (resource.change_field.empty()) return std::nullopt;
  const Value* field = record.find(resource.change_field);
  if (!field || !field->is_string()) return std::nullopt;
  auto time = parse_rfc3339(field->as_string());
  if (!time) return std::nullopt;
  return *time;
}

// Whether `field` is text holding `text`, ignoring ASCII case (Halo's searches "match").
bool contains_ignoring_case(const Value* field, std::string_view text) {
  if (!field || !field->is_string()) return false;
  const auto lower = [](std::string_view in) {
    std::string out(in);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
  };
  return lower(field->as_string()).find(lower(text)) != std::string::npos;
}

http::Response list(const HaloResource& resource, const http::Request& request, Store& store) {
  std::optional<std::chrono::system_clock::time_point> since;
  const std::string from = resource.filters_by_change ? request.query_param("lastupdatefromdate") : std::string();
  if (!from.empty()) {
    auto parsed = parse_rfc3339(from);
    if (!parsed) return halo_error(400, "lastupdatefromdate is not a valid date");
    since = *parsed;
  }
  const std::string search = resource.search_param.empty() ? std::string() : request.query_param(resource.search_param);
  std::optional<int64_t> parent;
  if (!resource.parent_param.empty() && !request.query_param(resource.parent_param).empty()) {
    parent = parse_int(request.query_param(resource.parent_param));
    if (!parent) return halo_error(400, std::string(resource.parent_param) + " is not a number");
  }
  std::vector<const Value*> matching;
  for (const auto& [id, record] : store.collection(halo_store_key(resource))) {
    if (since) {
      const auto at = changed_at(resource, record);
      if (!at || *at < *since) continue;
    }
    if (!search.empty() && !contains_ignoring_case(record.find(resource.search_field), search)) continue;
    if (parent) {
      const Value* value = record.find(resource.parent_param);
      if (!value || !value->is_int() || value->as_int() != *parent) continue;
    }
    matching.push_back(&record);  // the store keeps ids in order: the list is ordered by id
  }
  const bool paged = request.query_param("pageinate") == "true";
  int64_t page_size = static_cast<int64_t>(matching.size());
  int64_t page_no = 1;
  if (paged) {
    const auto size = parse_int(request.query_param("page_size"));
    const auto number = parse_int(request.query_param("page_no"));
    if (!size || *size < 1 || *size > kMaxPageSize || !number || *number < 1 || *number > kMaxPageNo) {
      return halo_error(400, "page_size (1.." + std::to_string(kMaxPageSize) + ") and page_no (1.." + std::to_string(kMaxPageNo) + ") are required");
    }
    page_size = *size;
    page_no = *number;
  }
  Value::Array page;
  const size_t first = static_cast<size_t>((page_no - 1) * page_size);
  for (size_t i = first; i < matching.size() && i < first + static_cast<size_t>(page_size); ++i) {
    page.push_back(*matching[i]);
  }
  Value answer(Value::Object{});
  if (paged) {
    answer.set("page_no", page_no);
    answer.set("page_size", page_size);
  }
  answer.set("record_count", static_cast<int64_t>(matching.size()));
  answer.set(resource.list_member, std::move(page));
  return json_answer(200, answer);
}

// POST /api/{Resource}: an array of records, each created or (with a known id) updated.
http::Response write(const HaloResource& resource, const http::Request& request, Store& store) {
  auto body = parse_json(request.body);
  if (!body || !body->is_array() || body->as_array().empty()) {
    return halo_error(400, "The request body must be a non-empty JSON array of " + std::string(resource.path));
  }
  const std::string key = halo_store_key(resource);
  // Every item is checked before any is stored, so a refused array writes nothing.
  std::vector<Value> records;
  for (const Value& item : body->as_array()) {
    if (!item.is_object()) return halo_error(400, "Each item must be a JSON object");
    Value record = item;
    const Value* id_value = record.find("id");
    const bool updates = id_value && id_value->is_int() && id_value->as_int() > 0;
    if (updates && !store.find(key, id_value->as_int())) {
      return halo_error(404, std::string(resource.path) + " " + std::to_string(id_value->as_int()) + " not found");
    }
    if (auto refused = check_write(resource, record, !updates, store)) return *refused;
    records.push_back(std::move(record));
  }
  Value first;
  for (Value& record : records) {
    const Value* id_value = record.find("id");
    Value* existing = id_value && id_value->is_int() && id_value->as_int() > 0 ? store.find(key, id_value->as_int()) : nullptr;
    if (!existing) {
      const int64_t id = store.allocate_id(key);
      record.set("id", id);
      existing = &(store.collection(key)[id] = Value(Value::Object{}));
    }
    for (const auto& [name, value] : record.as_object()) existing->set(name, value);
    if (!resource.change_field.empty()) existing->set(resource.change_field, halo_now());
    after_write(resource, *existing, store);
    if (first.is_null()) first = *existing;
  }
  // The spec declares "200 Success" with no body; the sandbox answers the (first) record.
  return json_answer(200, first);
}

}  // namespace

http::Response halo_error(int status, std::string_view message) {
  JsonWriter w;
  w.begin_object().field("message", message).end_object();
  return http::json_response(status, w.take());
}

// GET /Team, /Status, /Priority, /TicketType: the instance's set-up tables, answered as bare
// arrays (Halo's lookup lists are not wrapped like the record lists). Fields per the schemas
// SectionDetail (teams), TStatus, Policy (priorities: priorityid is what tickets carry) and
// RequestType (ticket types). nullopt for any other path.
std::optional<http::Response> lookup_table(std::string_view rest) {
  Value::Array rows;
  if (iequals(rest, "Team")) {
    rows = {Value::Object{{"id", 1}, {"name", "1st Line Support"}, {"inactive", false}},
            Value::Object{{"id", 2}, {"name", "Monitoring"}, {"inactive", false}},
            Value::Object{{"id", 3}, {"name", "Old Team"}, {"inactive", true}}};
  } else if (iequals(rest, "Status")) {
    rows = {Value::Object{{"id", 1}, {"name", "New"}, {"type", 0}}, Value::Object{{"id", 2}, {"name", "In Progress"}, {"type", 0}},
            Value::Object{{"id", 9}, {"name", "Closed"}, {"type", 1}}};
  } else if (iequals(rest, "Priority")) {
    rows = {Value::Object{{"id", 11}, {"priorityid", 1}, {"name", "Critical"}, {"ishidden", false}},
            Value::Object{{"id", 12}, {"priorityid", 2}, {"name", "High"}, {"ishidden", false}},
            Value::Object{{"id", 13}, {"priorityid", 3}, {"name", "Medium"}, {"ishidden", false}},
            Value::Object{{"id", 14}, {"priorityid", 4}, {"name", "Low"}, {"ishidden", false}}};
  } else if (iequals(rest, "TicketType")) {
    rows = {Value::Object{{"id", 1}, {"name", "Incident"}, {"visible", true}},
            Value::Object{{"id", 3}, {"name", "Service Request"}, {"visible", true}},
            Value::Object{{"id", 21}, {"name", "Alert"}, {"visible", true}}};
  } else {
    return std::nullopt;
  }
  return json_answer(200, Value(std::move(rows)));
}

http::Response handle_api(const http::Request& request, Store& store) {
  const std::string_view rest = std::string_view(request.path).substr(kApiPath.size() + 1);
  if (request.method == "GET") {
    if (auto table = lookup_table(rest)) return std::move(*table);
    // The agent the application acts as (seeded, or set by a test).
    if (iequals(rest, "Agent/me")) {
      const Value* agent = store.find("halopsa/Agent", 1);
      return agent ? json_answer(200, *agent) : halo_error(404, "No such agent");
    }
  }
  const Route route = route_of(rest);
  if (!route.resource || route.bad_id) return halo_error(404, "No such resource");
  if (request.method == "GET" && !route.id) return list(*route.resource, request, store);
  if (request.method == "GET") {
    const Value* record = store.find(halo_store_key(*route.resource), *route.id);
    if (!record) return halo_error(404, std::string(route.resource->path) + " " + std::to_string(*route.id) + " not found");
    return json_answer(200, with_details(*route.resource, *record, request.query_param("includedetails") == "true", store));
  }
  if (request.method == "POST" && !route.id) return write(*route.resource, request, store);
  return halo_error(405, "Method not allowed");
}

}  // namespace switchyard::sandbox::halopsa
