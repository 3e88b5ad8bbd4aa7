#include "connectors/autotask/write_calls.h"

#include <simdjson.h>

#include "common/json_read.h"
#include "common/text.h"
#include "connectors/autotask/autotask_connector.h"
#include "connectors/autotask/errors.h"

namespace switchyard::connectors::autotask {

void write_id(JsonWriter& w, std::string_view key, const std::string& id) {
  w.key(key);
  if (is_numeric_id(id)) w.value(static_cast<int64_t>(std::stoll(id)));
  else w.value(id);
}

Call send(PsaHttp& psa, const Tenant& t, std::string method, const std::string& path, std::string body) {
  http::ClientRequest req{.method = std::move(method), .url = t.base_url + path, .headers = auth_headers(t),
                          .body = std::move(body)};
  auto r = psa.send(req);
  if (!r) return {std::nullopt, WriteOutcome::retryable("autotask unreachable: " + r.error().message)};
  if (r->status >= 200 && r->status < 300) return {std::move(*r), std::nullopt};
  return {std::nullopt, outcome_of_error(*r, req.method + " " + path)};
}

Result<std::optional<std::string>> find_one(PsaHttp& psa, const Tenant& t, const std::string& entity,
                                            const std::vector<Match>& match, std::optional<WriteOutcome>& failure) {
  JsonWriter q;
  q.begin_object().field("MaxRecords", 1).key("IncludeFields").begin_array().value("id").end_array();
  q.key("Filter").begin_array();
  for (const auto& m : match) {
    q.begin_object().field("op", m.op).field("field", m.field).field("value", m.value).end_object();
  }
  q.end_array().end_object();
  auto call = send(psa, t, "POST", "/V1.0/" + entity + "/query", q.take());
  if (call.failure) {
    failure = std::move(call.failure);
    return std::optional<std::string>{};
  }
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  simdjson::dom::array items;
  if (parser.parse(call.response->body).get(root) != simdjson::SUCCESS || root["items"].get(items) != simdjson::SUCCESS) {
    return make_error("invalid_payload", "autotask " + entity + " query: no items array");
  }
  for (simdjson::dom::element item : items) {
    simdjson::dom::element id_value;
    if (item["id"].get(id_value) != simdjson::SUCCESS) continue;
    auto id = json::id_string(id_value, "items[].id");
    if (id) return std::optional<std::string>{*id};
  }
  return std::optional<std::string>{};
}

Result<std::string> item_id_of(const http::ClientResponse& r) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  simdjson::dom::element id;
  if (parser.parse(r.body).get(root) != simdjson::SUCCESS || root["itemId"].get(id) != simdjson::SUCCESS) {
    return make_error("invalid_payload", "autotask create: no itemId in the answer");
  }
  return json::id_string(id, "itemId");
}

std::optional<std::string> existing_record(PsaHttp& psa, const Tenant& t, WriteMemo& memo, std::string_view kind,
                                           const std::string& ref, const std::string& entity,
                                           const std::vector<Match>& match, std::optional<WriteOutcome>& failure) {
  if (auto id = memo.lookup(t, kind, ref)) return id;
  auto found = find_one(psa, t, entity, match, failure);
  if (!found) {
    failure = WriteOutcome::retryable(found.error().message);
    return std::nullopt;
  }
  if (*found) memo.remember(t, kind, ref, **found);
  return *found;
}

std::optional<std::string> existing_ticket(PsaHttp& psa, const Tenant& t, WriteMemo& memo, const std::string& ref,
                                           std::optional<WriteOutcome>& failure) {
  return existing_record(psa, t, memo, "ticket", ref, "Tickets", {{"externalID", ref}}, failure);
}

}  // namespace switchyard::connectors::autotask
