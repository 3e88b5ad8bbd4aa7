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
  std::vector<const Value*> matching;
  for (const auto& [id, record] : store.collection(syncro_store_key(resource))) {
    if (since) {
      const auto at = updated_at(record);
      if (!at || *at < *since) continue;
    }
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

http::Response me() {
  Value answer(Value::Object{});
  answer.set("user_id", int64_t{1});
  answer.set("user_name", "Sandbox API User");
  answer.set("subdomain", "sandbox");
  return json_answer(200, answer);
}

}  // namespace

http::Response syncro_error(int status, std::string_view message) {
  JsonWriter w;
  w.begin_object().field("error", message).end_object();
  return http::json_response(status, w.take());
}

http::Response handle_api(const http::Request& request, Store& store) {
  const std::string_view rest = std::string_view(request.path).substr(kApiPath.size() + 1);
  if (rest == "me" && request.method == "GET") return me();
  const Route route = route_of(rest);
  if (!route.resource || route.bad_id) return syncro_error(404, "Not found");
  if (request.method == "GET" && !route.id) return list(*route.resource, request, store);
  if (request.method == "GET") {
    const Value* record = store.find(syncro_store_key(*route.resource), *route.id);
    if (!record) return syncro_error(404, "Record not found");
    Value answer(Value::Object{});
    answer.set(route.resource->one_member, *record);
    return json_answer(200, answer);
  }
  return syncro_error(405, "Method not allowed");
}

}  // namespace switchyard::sandbox::syncro
