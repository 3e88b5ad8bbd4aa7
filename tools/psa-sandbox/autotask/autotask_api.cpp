#include "psa-sandbox/autotask/autotask_api.h"

#include "common/http_router.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <chrono>
#include <optional>
#include <vector>

#include "psa-sandbox/autotask/autotask_model.h"
#include "psa-sandbox/autotask/autotask_query.h"
#include "psa-sandbox/autotask/autotask_webhooks.h"
#include "psa-sandbox/autotask/at_errors.h"

namespace switchyard::sandbox {
namespace {

using http::Request;
using http::Response;

std::optional<int64_t> id_of(const Value& v) {
  if (v.is_int()) return v.as_int();
  if (v.is_string()) return parse_int(v.as_string());
  return std::nullopt;
}

// A zone's path: /autotask/ATServicesRest is the default zone (the one every tenant starts in),
// /autotask/<zone>/ATServicesRest another (what webservicesN.autotask.net are to Autotask).
struct ApiPath {
  std::string zone;  // "" = the default zone
  std::vector<std::string_view> segments;  // below V1.0
};

bool zone_name(std::string_view s) {
  return !s.empty() && s.size() <= 32 &&
         std::all_of(s.begin(), s.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; });
}

std::optional<ApiPath> api_path(std::string_view path) {
  auto seg = http::split_path(path);
  if (seg.size() < 3 || !iequals(seg[0], "autotask")) return std::nullopt;
  size_t at = 1;
  ApiPath out;
  if (!iequals(seg[1], "ATServicesRest")) {
    if (!zone_name(seg[1])) return std::nullopt;
    out.zone = std::string(seg[1]);
    at = 2;
  }
  if (seg.size() < at + 2 || !iequals(seg[at], "ATServicesRest") || !iequals(seg[at + 1], "V1.0")) return std::nullopt;
  out.segments.assign(seg.begin() + static_cast<std::ptrdiff_t>(at + 2), seg.end());
  return out;
}

// Segments below .../ATServicesRest/V1.0 in any zone, or nullopt when the path is elsewhere.
std::optional<std::vector<std::string_view>> api_segments(std::string_view path) {
  auto p = api_path(path);
  if (!p) return std::nullopt;
  return std::move(p->segments);
}

std::string zone_prefix(std::string_view zone) {
  return zone.empty() ? std::string(kAutotaskPrefix) : "/autotask/" + std::string(zone) + "/ATServicesRest";
}

// The zone a tenant's instance lives in: record 1 of "ZoneInformation" (zoneName), set through
// the control API to move a tenant; none = the default zone.
std::string tenant_zone(Store& store) {
  const Value* z = store.find(std::string(kAutotaskZoneKey), 1);
  const Value* name = z ? z->find("zoneName") : nullptr;
  return name && name->is_string() && zone_name(name->as_string()) ? name->as_string() : std::string();
}

Response json(int status, const Value& v) { return http::json_response(status, v.dump()); }
Response item_id(int64_t id) { return json(200, Value::Object{{"itemId", id}}); }
Response not_found() { return at_error(404, "The requested resource does not exist."); }
Response method_not_allowed(const Request& req) {
  return at_error(405, "The requested resource does not support http method '" + req.method + "'.");
}

class Handler {
 public:
  Handler(Store& store, const Request& req, std::string_view base, std::string prefix)
      : store_(store), req_(req), base_(base), prefix_(std::move(prefix)) {}

  Response route(const std::vector<std::string_view>& seg) {
    const AtEntity* e = at_entity(seg[0]);
    if (e == nullptr) return not_found();
    const std::string& m = req_.method;
    const auto is = [&](size_t i, std::string_view w) { return i < seg.size() && iequals(seg[i], w); };
    switch (seg.size()) {
      case 1:
        if (m == "POST") {
          if (!e->top_level_create) {
            return at_error(405, std::string(e->name) + " are created through /" + std::string(e->parent) + "/{parentId}/" +
                                     std::string(e->child_segment) + ".");
          }
          return create(*e, std::nullopt);
        }
        if (m == "PATCH" || m == "PUT") return update(*e, std::nullopt, m == "PUT");
        return method_not_allowed(req_);
      case 2:
        if (is(1, "query")) {
          if (m == "POST") return query(*e, req_.body, false);
          if (m == "GET") return query(*e, req_.query_param("search"), false);
          return method_not_allowed(req_);
        }
        if (is(1, "entityInformation")) return m == "GET" ? json(200, at_entity_information(*e)) : method_not_allowed(req_);
        // Webhooks are deleted at the top level: DELETE /V1.0/{Entity}Webhooks/{id}.
        if (m == "DELETE" && at_webhook_fields(e->name) != nullptr && e->top_level_create) return remove(*e, seg[1]);
        if (m != "GET") return method_not_allowed(req_);
        return get(*e, seg[1]);
      case 3:
        if (is(1, "query") && is(2, "count")) {
          if (m == "POST") return query(*e, req_.body, true);
          if (m == "GET") return query(*e, req_.query_param("search"), true);
          return method_not_allowed(req_);
        }
        if (is(1, "entityInformation") && is(2, "fields")) {
          return m == "GET" ? json(200, at_entity_fields(*e)) : method_not_allowed(req_);
        }
        if (is(1, "entityInformation") && is(2, "userDefinedFields")) {
          return m == "GET" ? json(200, Value::Object{{"fields", Value::Array{}}}) : method_not_allowed(req_);
        }
        return child(*e, seg[1], seg[2], std::nullopt);
      case 4:
        return child(*e, seg[1], seg[2], seg[3]);
      default:
        return not_found();
    }
  }

 private:
  // /{Parent}/{parentId}/{Segment}[/{id}]
  Response child(const AtEntity& parent, std::string_view parent_id, std::string_view segment,
                 std::optional<std::string_view> id) {
    const AtEntity* e = at_child_entity(parent.name, segment);
    if (e == nullptr) return not_found();
    const auto pid = parse_int(parent_id);
    if (!pid || store_.find(at_store_key(parent), *pid) == nullptr) {
      return at_error(404, std::string(parent.singular) + " " + std::string(parent_id) + " does not exist.");
    }
    const std::string& m = req_.method;
    if (!id) {
      if (m == "POST") return create(*e, pid);
      if (m == "GET") return children(*e, *pid);
      if (m == "PATCH" || m == "PUT") return update(*e, pid, m == "PUT");
      return method_not_allowed(req_);
    }
    const auto rid = parse_int(*id);
    Value* record = rid ? store_.find(at_store_key(*e), *rid) : nullptr;
    if (record == nullptr || !belongs(*e, *record, *pid)) return not_found();
    if (m == "GET") return json(200, Value::Object{{"item", *record}});
    if (m == "DELETE") {
      if (!e->can_delete) return method_not_allowed(req_);
      store_.collection(at_store_key(*e)).erase(*rid);
      return item_id(*rid);
    }
    return method_not_allowed(req_);
  }

  static bool belongs(const AtEntity& e, const Value& record, int64_t parent_id) {
    const Value* p = record.find(e.parent_field);
    return p != nullptr && p->is_int() && p->as_int() == parent_id;
  }

  // GET /{Parent}/{parentId}/{Segment}: the parent's children, as a query answers them.
  Response children(const AtEntity& e, int64_t parent_id) {
    Value::Array items;
    for (const auto& [id, record] : store_.collection(at_store_key(e))) {
      if (belongs(e, record, parent_id)) items.push_back(record);
    }
    const auto count = static_cast<int64_t>(items.size());
    return json(200, Value::Object{{"items", Value(std::move(items))},
                                   {"pageDetails", Value::Object{{"count", count},
                                                                 {"requestCount", 500},
                                                                 {"prevPageUrl", nullptr},
                                                                 {"nextPageUrl", nullptr}}}});
  }

  Response remove(const AtEntity& e, std::string_view id_text) {
    const auto id = parse_int(id_text);
    if (!id || store_.find(at_store_key(e), *id) == nullptr) return not_found();
    store_.collection(at_store_key(e)).erase(*id);
    // Its Fields go with it.
    for (const AtEntity& child : at_entities()) {
      if (child.parent != e.name) continue;
      auto& records = store_.collection(at_store_key(child));
      std::erase_if(records, [&](const auto& entry) { return belongs(child, entry.second, *id); });
    }
    return item_id(*id);
  }

  Response get(const AtEntity& e, std::string_view id_text) {
    const auto id = parse_int(id_text);
    const Value* record = id ? store_.find(at_store_key(e), *id) : nullptr;
    if (record == nullptr) return at_error(404, std::string(e.singular) + " " + std::string(id_text) + " does not exist.");
    return json(200, Value::Object{{"item", *record}});
  }

  Response create(const AtEntity& e, std::optional<int64_t> parent_id) {
    auto body = parse_json(req_.body);
    if (!body || !body->is_object()) return at_error(500, "The request body is not a valid " + std::string(e.singular) + ".");
    Value record = std::move(body).value();
    while (const auto* idm = record.find_ci("id")) {
      const std::string name = idm->first;
      record.erase(name);
    }
    if (parent_id) record.set(e.parent_field, *parent_id);
    if (auto errors = at_validate(e, record, store_); !errors.empty()) return at_error(500, errors);
    const int64_t id = store_.allocate_id(at_store_key(e));
    Value::Object out{{"id", id}};
    for (auto& member : record.as_object()) out.push_back(std::move(member));
    Value stored(std::move(out));
    at_stamp(e, stored, store_, true);
    store_.collection(at_store_key(e))[id] = std::move(stored);
    return item_id(id);
  }

  // PATCH merges the given fields; PUT replaces the record (omitted fields become null).
  Response update(const AtEntity& e, std::optional<int64_t> parent_id, bool replace) {
    auto body = parse_json(req_.body);
    if (!body || !body->is_object()) return at_error(500, "The request body is not a valid " + std::string(e.singular) + ".");
    const auto* idm = body->find_ci("id");
    const auto id = idm ? id_of(idm->second) : std::nullopt;
    if (!id) return at_error(500, "Missing Required Field: id (" + std::string(e.singular) + ").");
    Value* existing = store_.find(at_store_key(e), *id);
    if (existing == nullptr || (parent_id && !belongs(e, *existing, *parent_id))) {
      return at_error(404, std::string(e.singular) + " " + std::to_string(*id) + " does not exist.");
    }
    Value record = replace ? Value(Value::Object{}) : *existing;
    for (const auto& [k, v] : body->as_object()) {
      if (!iequals(k, "id")) record.set(k, v);
    }
    if (parent_id) record.set(e.parent_field, *parent_id);
    if (auto errors = at_validate(e, record, store_); !errors.empty()) return at_error(500, errors);
    // Read-only fields keep their stored values whatever the body says. A device's companyID
    // "cannot be updated. Any companyID value provided on update is ignored" (Autotask REST
    // ConfigurationItems entity).
    const std::string_view owner = e.name == "ConfigurationItems" ? "companyID" : "";
    for (const std::string_view ro : {e.create_date, std::string_view("ticketNumber"), owner}) {
      if (ro.empty()) continue;
      if (const Value* old = existing->find(ro)) record.set(ro, *old);
    }
    Value::Object out{{"id", *id}};
    for (auto& member : record.as_object()) out.push_back(std::move(member));
    Value stored(std::move(out));
    at_stamp(e, stored, store_, false);
    *existing = std::move(stored);
    return item_id(*id);
  }

  Response query(const AtEntity& e, std::string_view text, bool count_only) {
    auto body = parse_json(text);
    if (!body) return at_error(500, "The query is not valid JSON.");
    auto q = parse_at_query(e, *body);
    if (!q) return at_error(500, q.error().message);
    Value::Array items;
    int64_t matched = 0;
    std::optional<int64_t> last_id;
    bool more = false;
    for (const auto& [id, record] : store_.collection(at_store_key(e))) {
      if (!at_matches(e, q->filter, record)) continue;
      ++matched;
      if (count_only) continue;
      if (static_cast<int64_t>(items.size()) == q->max_records) {
        more = true;
        break;
      }
      items.push_back(project(record, q->include_fields));
      last_id = id;
    }
    if (count_only) return json(200, Value::Object{{"queryCount", matched}});
    Value next = nullptr;
    if (more && last_id) {
      // A stateless cursor: the same query restricted to ids after the last one returned.
      AtQuery next_query = *q;
      next_query.filter.push_back(AtFilter{"gt", "id", Value(*last_id), {}});
      next = std::string(base_) + prefix_ + "/V1.0/" + std::string(e.name) +
             "/query?search=" + http::url_encode(at_query_json(next_query).dump());
    }
    const auto count = static_cast<int64_t>(items.size());
    return json(200, Value::Object{{"items", Value(std::move(items))},
                                   {"pageDetails", Value::Object{{"count", count},
                                                                 {"requestCount", q->max_records},
                                                                 {"prevPageUrl", nullptr},
                                                                 {"nextPageUrl", std::move(next)}}}});
  }

  static Value project(const Value& record, const std::vector<std::string>& fields) {
    if (fields.empty()) return record;
    Value::Object out;
    for (const auto& [k, v] : record.as_object()) {
      if (k == "id" || std::find(fields.begin(), fields.end(), k) != fields.end()) out.emplace_back(k, v);
    }
    return out;
  }

  Store& store_;
  const Request& req_;
  std::string_view base_;
  std::string prefix_;  // the zone path the request came on
};

}  // namespace

bool AutotaskApi::is_zone_lookup(const http::Request& request) {
  const auto seg = api_segments(request.path);
  return seg && seg->size() == 1 && iequals((*seg)[0], "zoneInformation");
}

bool AutotaskApi::is_write(const http::Request& request) {
  const std::string& m = request.method;
  if (m != "POST" && m != "PUT" && m != "PATCH" && m != "DELETE") return false;
  const auto seg = api_segments(request.path);
  return !(seg && seg->size() >= 2 && iequals((*seg)[1], "query"));
}

http::Response AutotaskApi::handle(const http::Request& request, std::string_view base) {
  const auto path = api_path(request.path);
  if (!path || path->segments.empty()) return not_found();
  const auto& seg = path->segments;
  const std::string zone = tenant_zone(store_);
  // Served in every zone, like Autotask's (webservices.autotask.net included).
  if (seg.size() == 1 && iequals(seg[0], "zoneInformation")) {
    if (request.method != "GET") return method_not_allowed(request);
    if (!iequals(request.query_param("user"), credentials_.username)) {
      return at_error(500, "Zone information could not be determined");
    }
    const std::string url = std::string(base) + zone_prefix(zone) + "/";
    return json(200, Value::Object{{"zoneName", zone.empty() ? std::string("Sandbox") : zone},
                                   {"url", url},
                                   {"webUrl", std::string(base) + "/autotask/"},
                                   {"ci", 0}});
  }
  // Another zone does not know the tenant's user: it answers as Autotask answers an unknown
  // user (docs/psa/autotask.md#zone).
  if (!iequals(path->zone, zone)) {
    return at_error(500, "Unable to authenticate: the UserName is not a valid API user.");
  }
  if (const auto denied = auth_.check(request)) return at_error(denied->status, denied->message);
  // Requests counted per clock hour (Autotask's window rolls; an hour bucket is close enough to
  // show the budget filling), for ThresholdInformation.
  const auto hour = std::chrono::duration_cast<std::chrono::hours>(std::chrono::system_clock::now().time_since_epoch());
  const int64_t used = store_.next_sequence("autotask/requests/" + std::to_string(hour.count()));
  if (seg.size() == 1 && iequals(seg[0], "ThresholdInformation")) {
    if (request.method != "GET") return method_not_allowed(request);
    return json(200, Value::Object{{"externalRequestThreshold", kAutotaskHourlyThreshold},
                                   {"requestThresholdTimeframe", 60},
                                   {"currentTimeframeRequestCount", used}});
  }
  return Handler(store_, request, base, zone_prefix(zone)).route(seg);
}

}  // namespace switchyard::sandbox
