#include "psa-sandbox/syncro/syncro_api.h"

#include "common/json_writer.h"
#include "common/time_format.h"
#include "psa-sandbox/json_value.h"
#include "psa-sandbox/syncro/syncro_model.h"

namespace switchyard::sandbox::syncro {
namespace {

constexpr int64_t kMaxPage = 1'000'000;  // keeps (page - 1) * per_page far from overflow

http::Response json_answer(int status, const Value& value) { return http::json_response(status, value.dump()); }

// "tickets" or "tickets/12" below /syncro/api/v1/.
struct Route {
  const SyncroResource* resource = nullptr;
  std::optional<int64_t> id;
  bool bad_id = false;
};

Route route_of(std::string_view rest) {
  Route route;
  const size_t slash = rest.find('/');
  route.resource = syncro_resource(rest.substr(0, slash));
  if (slash != std::string_view::npos) {
    route.id = parse_int(rest.substr(slash + 1));
    route.bad_id = !route.id || *route.id < 1;
  }
  return route;
}

std::optional<std::chrono::system_clock::time_point> updated_at(const Value& record) {
  const Value* field = record.find("updated_at");
  if (!field || !field->is_string()) return std::nullopt;
  auto time = parse_rfc3339(field->as_string());
  if (!time) return std::nullopt;
  return *time;
}

// GET /tickets?query=Q: Syncro's free-text search, imitated as a ticket whose subject holds Q
// or whose tag_list has Q (the spec does not list the fields it searches).
bool matches_query(const Value& record, std::string_view query) {
  if (const Value* subject = record.find("subject"); subject && subject->is_string() &&
                                                     subject->as_string().find(query) != std::string::npos) {
    return true;
  }
  const Value* tags = record.find("tag_list");
  if (!tags || !tags->is_array()) return false;
  for (const Value& tag : tags->as_array()) {
    if (tag.is_string() && tag.as_string() == query) return true;
  }
  return false;
}

http::Response list(const SyncroResource& resource, const http::Request& request, Store& store) {
  std::optional<std::chrono::system_clock::time_point> since;
  const std::string from = resource.filters_by_change ? request.query_param("since_updated_at") : std::string();
  if (!from.empty()) {
    auto parsed = parse_rfc3339(from);
    if (!parsed) return syncro_error(422, "since_updated_at is not a valid date");
    since = *parsed;
  }
  int64_t page = 1;
  if (const std::string p = request.query_param("page"); !p.empty()) {
    const auto parsed = parse_int(p);
    if (!parsed || *parsed < 1 || *parsed > kMaxPage) return syncro_error(422, "page must be a positive number");
    page = *parsed;
  }
  const std::string query = resource.path == "tickets" ? request.query_param("query") : std::string();
  std::vector<const Value*> matching;
  for (const auto& [id, record] : store.collection(syncro_store_key(resource))) {
    if (since) {
      const auto at = updated_at(record);
      if (!at || *at < *since) continue;
    }
    if (!query.empty() && !matches_query(record, query)) continue;
    matching.push_back(&record);  // the store keeps ids in order: the list is ordered by id
  }
  const auto per_page = static_cast<size_t>(resource.per_page);
  Value::Array items;
  const size_t first = static_cast<size_t>(page - 1) * per_page;
  for (size_t i = first; i < matching.size() && i < first + per_page; ++i) items.push_back(*matching[i]);
  const auto total = static_cast<int64_t>(matching.size());
  Value meta(Value::Object{});
  meta.set("total_pages", (total + resource.per_page - 1) / resource.per_page);
  meta.set("total_entries", total);
  meta.set("per_page", static_cast<int64_t>(resource.per_page));
  meta.set("page", page);
  Value answer(Value::Object{});
  answer.set(resource.list_member, std::move(items));
  answer.set("meta", std::move(meta));
  return json_answer(200, answer);
}

// POST /tickets creates; PUT /tickets/{id} changes the members sent. Answers {"ticket": {...}}.
http::Response write_ticket(const SyncroResource& resource, const http::Request& request, Store& store,
                            std::optional<int64_t> id) {
  auto body = parse_json(request.body);
  if (!body || !body->is_object()) return syncro_error(422, "The request body must be a JSON object");
  const std::string key = syncro_store_key(resource);
  const std::string now = syncro_now();
  Value* record = nullptr;
  if (id) {
    record = store.find(key, *id);
    if (!record) return syncro_error(404, "Record not found");
    for (const auto& [name, value] : body->as_object()) {
      if (name != "id") record->set(name, value);
    }
  } else {
    const Value* subject = body->find("subject");
    if (!subject || !subject->is_string() || subject->as_string().empty()) {
      return syncro_error(422, "Subject can't be blank");
    }
    const Value* customer = body->find("customer_id");
    if (!customer || !customer->is_int()) return syncro_error(422, "Customer required field");
    const int64_t new_id = store.allocate_id(key);
    Value created = *body;
    created.set("id", new_id);
    created.set("number", store.next_sequence("syncro/ticket_number") + 1000);
    if (!created.find("status")) created.set("status", "New");
    created.set("created_at", now);
    record = &(store.collection(key)[new_id] = std::move(created));
  }
  if (const Value* status = record->find("status"); status && status->is_string() && status->as_string() == "Resolved") {
    record->set("resolved_at", now);
  }
  record->set("updated_at", now);
  Value answer(Value::Object{});
  answer.set(resource.one_member, *record);
  return json_answer(200, answer);
}

// The records kept below a parent (a ticket's comments, a schedule's line items): their store
// key, the parent's member listing them, and the field naming the parent.
struct Child {
  std::string_view action;        // "comment" (POST /tickets/{id}/comment)
  std::string_view parent_path;   // "tickets"
  std::string_view key;           // "syncro/comments"
  std::string_view parent_member; // "comments"
  std::string_view parent_field;  // "ticket_id"
  std::string_view answer_member; // "comment"
  std::string_view required;      // a member that must be non-empty text ("body")
};
constexpr Child kChildren[] = {
    {"comment", "tickets", "syncro/comments", "comments", "ticket_id", "comment", "body"},
    {"add_line_item", "schedules", "syncro/schedule_line_items", "lines", "schedule_id", "schedule_line_item", "name"},
};

// A parent record with its children listed in `parent_member`.
Value with_children(const SyncroResource& resource, const Value& record, Store& store) {
  Value out = record;
  for (const Child& child : kChildren) {
    if (child.parent_path != resource.path) continue;
    const Value* id = record.find("id");
    Value::Array list;
    for (const auto& [child_id, item] : store.collection(child.key)) {
      const Value* parent = item.find(child.parent_field);
      if (id && parent && parent->is_int() && id->is_int() && parent->as_int() == id->as_int()) list.push_back(item);
    }
    out.set(child.parent_member, std::move(list));
  }
  return out;
}

// POST /{parent}/{id}/{action}: a new child record of an existing parent.
http::Response add_child(const Child& child, const SyncroResource& parent, int64_t parent_id, const http::Request& request,
                         Store& store) {
  Value* record = store.find(syncro_store_key(parent), parent_id);
  if (!record) return syncro_error(404, "Record not found");
  auto body = parse_json(request.body);
  if (!body || !body->is_object()) return syncro_error(422, "The request body must be a JSON object");
  const Value* required = body->find(child.required);
  if (!required || !required->is_string() || required->as_string().empty()) {
    std::string message(child.required);
    message[0] = static_cast<char>(message[0] - 'a' + 'A');
    message.append(" can't be blank");
    return syncro_error(422, message);
  }
  const std::string now = syncro_now();
  Value item = *body;
  const int64_t id = store.allocate_id(child.key);
  item.set("id", id);
  item.set(child.parent_field, parent_id);
  item.set("created_at", now);
  item.set("updated_at", now);
  store.collection(child.key)[id] = item;
  record->set("updated_at", now);
  Value answer(Value::Object{});
  answer.set(child.answer_member, std::move(item));
  return json_answer(200, answer);
}

// GET /tickets/settings and GET /settings: where Syncro keeps its ticket statuses (strings),
// ticket types and priorities (strings), as the spec's examples show them.
http::Response ticket_settings() {
  Value answer(Value::Object{});
  answer.set("ticket_status_list", Value::Array{"New", "In Progress", "Resolved", "Invoiced", "Waiting for Parts",
                                                "Waiting on Customer", "Scheduled", "Customer Reply"});
  answer.set("ticket_types", Value::Array{Value::Object{{"id", 1}, {"name", "Remote Support"}},
                                          Value::Object{{"id", 2}, {"name", "Onsite"}}});
  answer.set("users", Value::Array{});
  return json_answer(200, answer);
}

http::Response settings() {
  Value ticket(Value::Object{});
  ticket.set("problem_types", Value::Array{"Virus", "TuneUp", "Hardware", "Software", "Other"});
  ticket.set("priorities", Value::Array{"", "0 Urgent", "1 High", "2 Normal", "3 Low"});
  Value answer(Value::Object{});
  answer.set("ticket", std::move(ticket));
  return json_answer(200, answer);
}

// The token's user and permissions, as seeded (syncro_seed.cpp) or set by a test.
http::Response me(Store& store) {
  const Value* user = store.find("syncro/me", 1);
  return user ? json_answer(200, *user) : syncro_error(404, "Not found");
}

}  // namespace

http::Response syncro_error(int status, std::string_view message) {
  JsonWriter w;
  w.begin_object().field("error", message).end_object();
  return http::json_response(status, w.take());
}

http::Response handle_api(const http::Request& request, Store& store) {
  const std::string_view rest = std::string_view(request.path).substr(kApiPath.size() + 1);
  if (rest == "me" && request.method == "GET") return me(store);
  if (rest == "tickets/settings" && request.method == "GET") return ticket_settings();
  if (rest == "settings" && request.method == "GET") return settings();
  // POST /{parent}/{id}/{action}
  if (request.method == "POST") {
    for (const Child& child : kChildren) {
      const size_t last = rest.rfind('/');
      if (last == std::string_view::npos || rest.substr(last + 1) != child.action) continue;
      const Route parent = route_of(rest.substr(0, last));
      if (!parent.resource || parent.resource->path != child.parent_path || !parent.id || parent.bad_id) continue;
      return add_child(child, *parent.resource, *parent.id, request, store);
    }
  }
  const Route route = route_of(rest);
  if (!route.resource || route.bad_id) return syncro_error(404, "Not found");
  if (request.method == "GET" && !route.id) return list(*route.resource, request, store);
  if (request.method == "GET") {
    const Value* record = store.find(syncro_store_key(*route.resource), *route.id);
    if (!record) return syncro_error(404, "Record not found");
    Value answer(Value::Object{});
    answer.set(route.resource->one_member, with_children(*route.resource, *record, store));
    return json_answer(200, answer);
  }
  if (route.resource->path == "tickets" && request.method == "POST" && !route.id) {
    return write_ticket(*route.resource, request, store, std::nullopt);
  }
  if (route.resource->path == "tickets" && request.method == "PUT" && route.id) {
    return write_ticket(*route.resource, request, store, route.id);
  }
  return syncro_error(405, "Method not allowed");
}

}  // namespace switchyard::sandbox::syncro
