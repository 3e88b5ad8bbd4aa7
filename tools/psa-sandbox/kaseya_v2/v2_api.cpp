#include "psa-sandbox/kaseya_v2/v2_api.h"

#include "common/json_writer.h"
#include "common/time_format.h"
#include "psa-sandbox/auth/password_token_exchange.h"
#include "psa-sandbox/kaseya_v2/v2_model.h"

namespace switchyard::sandbox::kaseya_v2 {
namespace {

constexpr int64_t kMaxPageSize = 500;
constexpr int64_t kMaxPageNumber = 1'000'000;

http::Response ok(const Value& result, std::optional<int64_t> total = std::nullopt) {
  Value answer(Value::Object{});
  answer.set("Success", true);
  answer.set("Error", nullptr);
  answer.set("Result", result);
  if (total) answer.set("TotalRecords", *total);
  return http::json_response(200, answer.dump());
}

std::vector<std::string_view> split(std::string_view path) {
  std::vector<std::string_view> parts;
  while (!path.empty()) {
    const size_t slash = path.find('/');
    parts.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return parts;
}

bool contains_ci(std::string_view haystack, std::string_view needle) {
  return to_lower(haystack).find(to_lower(needle)) != std::string::npos;
}

std::string text_of(const Value& record, std::string_view key) {
  const Value* v = record.find(key);
  return v && v->is_string() ? v->as_string() : std::string();
}

http::Response list(const V2Resource& r, std::string_view psa, const http::Request& request, Store& store) {
  std::optional<std::chrono::system_clock::time_point> since;
  const std::string from = r.since_filter.empty() ? std::string() : request.query_param(r.since_filter);
  if (!from.empty()) {
    // v2 times carry no zone: read as UTC, like the records.
    std::string full = from;
    if (full.size() == 19) full.push_back('Z');
    auto parsed = parse_rfc3339(full);
    if (!parsed) return envelope_error(400, std::string(r.since_filter) + " is not a valid date");
    since = *parsed;
  }
  const auto size = parse_int(request.query_param("PageSize"));
  const auto number = parse_int(request.query_param("PageNumber"));
  if (!size || *size < 1 || *size > kMaxPageSize || !number || *number < 1 || *number > kMaxPageNumber) {
    return envelope_error(400, "PageSize (1.." + std::to_string(kMaxPageSize) + ") and PageNumber are required");
  }
  const std::string details = r.entity == "tickets" ? request.query_param("Filter.Details") : std::string();
  const std::string type = r.entity == "accounts" ? request.query_param("Filter.AccountTypeName") : std::string();
  std::vector<const Value*> matching;
  for (const auto& [id, record] : store.collection(v2_store_key(psa, r.entity))) {
    if (since) {
      std::string changed = text_of(record, r.change_field);
      if (changed.size() == 19) changed.push_back('Z');
      const auto at = parse_rfc3339(changed);
      if (!at || *at < *since) continue;
    }
    if (!details.empty() && !contains_ci(text_of(record, "Details"), details)) continue;
    if (!type.empty() && !iequals(text_of(record, "AccountType"), type)) continue;
    matching.push_back(&record);
  }
  Value::Array page;
  const size_t first = static_cast<size_t>((*number - 1) * *size);
  for (size_t i = first; i < matching.size() && i < first + static_cast<size_t>(*size); ++i) page.push_back(*matching[i]);
  return ok(Value(std::move(page)), static_cast<int64_t>(matching.size()));
}

Value* record_at(Store& store, std::string_view psa, std::string_view entity, std::string_view id_text) {
  const auto id = parse_int(id_text);
  return id ? store.find(v2_store_key(psa, entity), *id) : nullptr;
}

// The members of `body` on `record` (Id excepted).
void apply(Value& record, const Value& body) {
  for (const auto& [k, v] : body.as_object()) {
    if (!iequals(k, "Id")) record.set(k, v);
  }
}

Value& create(Store& store, std::string_view psa, std::string_view entity, const Value& body) {
  const std::string key = v2_store_key(psa, entity);
  const int64_t id = store.allocate_id(key);
  Value record(Value::Object{{"Id", id}});
  apply(record, body);
  return store.collection(key)[id] = std::move(record);
}

http::Response tickets(std::string_view psa, const std::vector<std::string_view>& p, const http::Request& request,
                       Store& store) {
  const std::string now = v2_now();
  auto body = request.body.empty() ? Result<Value>(Value(Value::Object{})) : parse_json(request.body);
  if (p.size() == 2 && request.method == "POST") {
    if (!body || !body->is_object()) return envelope_error(400, "The body must be a TicketInputDto object");
    const Value* title = body->find("Title");
    if (!title || !title->is_string() || title->as_string().empty()) return envelope_error(400, "Title is required");
    const Value* account = body->find("AccountId");
    if (!account || !account->is_int()) return envelope_error(400, "AccountId is required");
    Value& made = create(store, psa, "tickets", *body);
    made.set("TicketNumber", "T" + std::to_string(made.find("Id")->as_int()));
    made.set("OpenDate", now);
    made.set("CreatedOn", now);
    made.set("ModifiedOn", now);
    made.set("LastActivityUpdate", now);
    return ok(made);
  }
  if (p.size() < 3) return envelope_error(404, "No such route");
  Value* ticket = record_at(store, psa, "tickets", p[2]);
  if (!ticket) return envelope_error(404, "Ticket not found");
  if (p.size() == 3 && request.method == "GET") return ok(*ticket);
  if (p.size() == 3 && request.method == "PATCH") {
    // JSON Patch operations, as the spec's PATCH takes: replace (or add) "/<Field>".
    if (!body || !body->is_array()) return envelope_error(400, "The body must be an array of patch operations");
    for (const Value& op : body->as_array()) {
      const Value* kind = op.find("op");
      const Value* path = op.find("path");
      const Value* value = op.find("value");
      if (!kind || !kind->is_string() || !(iequals(kind->as_string(), "replace") || iequals(kind->as_string(), "add")) ||
          !path || !path->is_string() || !path->as_string().starts_with("/") || path->as_string().size() < 2 || !value) {
        return envelope_error(400, "Each operation must be {op: replace|add, path: /Field, value}");
      }
      if (!iequals(path->as_string(), "/Id")) ticket->set(std::string_view(path->as_string()).substr(1), *value);
    }
    ticket->set("ModifiedOn", now);
    ticket->set("LastActivityUpdate", now);
    return ok(*ticket);
  }
  if (p.size() == 3 && request.method == "PUT") {
    if (!body || !body->is_object()) return envelope_error(400, "The body must be a ticket object");
    apply(*ticket, *body);
    ticket->set("ModifiedOn", now);
    ticket->set("LastActivityUpdate", now);
    return ok(*ticket);
  }
  if (p.size() == 4 && p[3] == "resolve" && request.method == "POST") {
    if (!body || !body->is_object()) return envelope_error(400, "The body must be a ResolveTicketDto object");
    const Value* status = body->find("StatusId");
    ticket->set("StatusId", status && status->is_int() ? status->as_int() : int64_t{5});
    ticket->set("StatusName", "Completed");
    ticket->set("CompletedDate", now);
    ticket->set("LastActivityUpdate", now);
    if (const Value* comment = body->find("Comment"); comment && comment->is_string() && !comment->as_string().empty()) {
      Value note(Value::Object{{"TicketId", ticket->find("Id")->as_int()}, {"Details", comment->as_string()},
                               {"IsInternal", false}, {"CreatedOn", now}});
      create(store, psa, "notes", note);
    }
    return ok(*ticket);
  }
  if (p.size() == 4 && p[3] == "notes") {
    const int64_t ticket_id = ticket->find("Id")->as_int();
    if (request.method == "GET") {
      Value::Array notes;
      for (const auto& [id, note] : store.collection(v2_store_key(psa, "notes"))) {
        const Value* of = note.find("TicketId");
        if (of && of->is_int() && of->as_int() == ticket_id) notes.push_back(note);
      }
      const auto count = static_cast<int64_t>(notes.size());
      return ok(Value(std::move(notes)), count);
    }
    if (request.method == "POST") {
      if (!body || !body->is_object()) return envelope_error(400, "The body must be a TicketNotePostInputDto object");
      const Value* details = body->find("Details");
      if (!details || !details->is_string() || details->as_string().empty()) return envelope_error(400, "Details is required");
      Value& note = create(store, psa, "notes", *body);
      note.set("TicketId", ticket_id);
      note.set("CreatedOn", now);
      ticket->set("LastActivityUpdate", now);
      return ok(note);
    }
  }
  return envelope_error(404, "No such route");
}

// finance/contracts/recurringservices/{id}[/services]
http::Response contracts(std::string_view psa, const std::vector<std::string_view>& p, const http::Request& request,
                         Store& store) {
  if (p.size() < 4) return envelope_error(404, "No such route");
  Value* contract = record_at(store, psa, "contracts", p[3]);
  if (!contract) return envelope_error(404, "Contract not found");
  const int64_t contract_id = contract->find("Id")->as_int();
  Value::Array services;
  for (const auto& [id, service] : store.collection(v2_store_key(psa, "services"))) {
    const Value* of = service.find("ContractId");
    if (of && of->is_int() && of->as_int() == contract_id) services.push_back(service);
  }
  if (p.size() == 4 && request.method == "GET") {
    Value answer = *contract;
    answer.set("Services", Value(std::move(services)));
    return ok(answer);
  }
  if (p.size() == 5 && p[4] == "services" && request.method == "POST") {
    auto body = parse_json(request.body);
    if (!body || !body->is_array() || body->as_array().empty()) {
      return envelope_error(400, "The body must be a non-empty array of RecurringServicePostInputDto");
    }
    Value::Array made;
    for (const Value& item : body->as_array()) {
      if (!item.is_object()) return envelope_error(400, "Each service must be an object");
      Value& service = create(store, psa, "services", item);
      service.set("ContractId", contract_id);
      made.push_back(service);
    }
    return ok(made.size() == 1 ? made.front() : Value(std::move(made)));
  }
  return envelope_error(404, "No such route");
}

http::Response webhooks(std::string_view psa, const std::vector<std::string_view>& p, const http::Request& request,
                        Store& store) {
  const std::string key = v2_store_key(psa, "webhooks");
  if (p.size() == 3 && p[2] == "search" && request.method == "POST") {
    auto body = parse_json(request.body);
    const Value* url = body && body->is_object() ? body->at_path("Filter/PayloadUrl") : nullptr;
    const Value* name = body && body->is_object() ? body->at_path("Filter/Name") : nullptr;
    Value::Array found;
    for (const auto& [id, hook] : store.collection(key)) {
      if (url && url->is_string() && text_of(hook, "PayloadUrl") != url->as_string()) continue;
      if (name && name->is_string() && !contains_ci(text_of(hook, "Name"), name->as_string())) continue;
      found.push_back(hook);
    }
    const auto count = static_cast<int64_t>(found.size());
    return ok(Value(std::move(found)), count);
  }
  if (p.size() == 2 && request.method == "POST") {
    auto body = parse_json(request.body);
    if (!body || !body->is_object()) return envelope_error(400, "The body must be a WebhookConfigurationInputDto");
    const Value* url = body->find("PayloadURL");
    if (!url || !url->is_string() || !url->as_string().starts_with("http")) return envelope_error(400, "PayloadURL is required");
    const Value* secret = body->find("Secret");
    Value hook(Value::Object{});
    for (std::string_view k : {"Name", "IsEnabled", "ContentType", "SendAllEvents", "Events"}) {
      if (const Value* v = body->find(k)) hook.set(k, *v);
    }
    hook.set("PayloadUrl", url->as_string());  // the output DTO's spelling
    hook.set("HasSecret", secret && secret->is_string() && !secret->as_string().empty());
    hook.set("CreatedOn", v2_now());
    return ok(create(store, psa, "webhooks", hook));
  }
  if (p.size() == 3 && request.method == "PUT") {
    Value* hook = record_at(store, psa, "webhooks", p[2]);
    if (!hook) return envelope_error(404, "Webhook not found");
    auto body = parse_json(request.body);
    const Value* url = body && body->is_object() ? body->find("PayloadURL") : nullptr;
    if (!url || !url->is_string() || !url->as_string().starts_with("http")) return envelope_error(400, "PayloadURL is required");
    for (std::string_view k : {"Name", "IsEnabled", "ContentType", "SendAllEvents", "Events"}) {
      if (const Value* v = body->find(k)) hook->set(k, *v);
    }
    hook->set("PayloadUrl", url->as_string());
    hook->set("ModifiedOn", v2_now());
    return ok(*hook);
  }
  if (p.size() == 3 && request.method == "DELETE") {
    const auto id = parse_int(p[2]);
    if (!id || store.collection(key).erase(*id) == 0) return envelope_error(404, "Webhook not found");
    return ok(Value("Deleted"));
  }
  return envelope_error(404, "No such route");
}

// GET /v2/system/{statuses|priorities|queues|issuetypes}/lookup: the instance's tables, unpaged.
http::Response lookup(std::string_view kind) {
  using Row = std::pair<int64_t, std::string_view>;
  static constexpr Row kStatuses[] = {{1, "New"}, {2, "In Progress"}, {3, "Waiting Customer"}, {5, "Completed"}};
  static constexpr Row kPriorities[] = {{1, "Critical"}, {2, "High"}, {3, "Medium"}, {4, "Low"}};
  static constexpr Row kQueues[] = {{1, "Service Desk"}, {2, "Monitoring"}, {3, "Old Queue"}};
  static constexpr Row kIssueTypes[] = {{1, "Hardware"}, {2, "Software"}, {3, "Network"}};
  std::span<const Row> rows = kPriorities;
  if (kind == "statuses") rows = kStatuses;
  if (kind == "queues") rows = kQueues;
  if (kind == "issuetypes") rows = kIssueTypes;
  Value::Array items;
  for (const auto& [id, name] : rows) {
    // "Old Queue" is switched off, so lists show an inactive entry.
    items.push_back(Value(Value::Object{{"Id", id}, {"Name", std::string(name)}, {"IsActive", name != "Old Queue"}}));
  }
  return ok(Value(std::move(items)));
}

// GET /v2/finance/contracts/lookup[?AccountId=]: ContractLookupOutputDto {Id, Name, IsActive, ...}.
http::Response contract_lookup(std::string_view psa, const http::Request& request, Store& store) {
  const std::string account = request.query_param("AccountId");
  const auto account_id = account.empty() ? std::optional<int64_t>() : parse_int(account);
  if (!account.empty() && !account_id) return envelope_error(400, "AccountId must be an integer");
  Value::Array items;
  for (const auto& [id, record] : store.collection(v2_store_key(psa, "contracts"))) {
    const Value* owner = record.find("AccountId");
    if (account_id && !(owner && owner->is_int() && owner->as_int() == *account_id)) continue;
    items.push_back(Value(Value::Object{{"Id", id},
                                        {"Name", text_of(record, "ContractName")},
                                        {"IsActive", text_of(record, "Status") == "Active"},
                                        {"IsDefault", false}}));
  }
  return ok(Value(std::move(items)));
}

// GET /v2/admin/finance/services/lookup?PageSize=&PageNumber=: the services contracts bill
// (ServiceLookupOutputDto {Id, Name, Description}), paged with TotalRecords.
http::Response service_lookup(const http::Request& request) {
  static constexpr std::string_view kServices[] = {"Managed workstation", "Managed server", "Cloud backup (GB)"};
  const std::string size_text = request.query_param("PageSize"), number_text = request.query_param("PageNumber");
  const auto size = size_text.empty() ? std::optional<int64_t>(kMaxPageSize) : parse_int(size_text);
  const auto number = number_text.empty() ? std::optional<int64_t>(1) : parse_int(number_text);
  if (!size || *size < 1 || *size > kMaxPageSize || !number || *number < 1 || *number > kMaxPageNumber) {
    return envelope_error(400, "PageSize must be 1.." + std::to_string(kMaxPageSize) + " and PageNumber positive");
  }
  Value::Array page;
  const auto total = static_cast<int64_t>(std::size(kServices));
  for (int64_t i = (*number - 1) * *size; i < total && i < *number * *size; ++i) {
    page.push_back(Value(Value::Object{{"Id", i + 1}, {"Name", std::string(kServices[i])}, {"Description", ""}}));
  }
  return ok(Value(std::move(page)), total);
}

}  // namespace

http::Response envelope_error(int code, std::string_view message) {
  JsonWriter w;
  w.begin_object().field("Success", false).key("Error").begin_object();
  w.field("Code", code).field("Message", message).end_object();
  w.key("Result").null().end_object();
  return http::json_response(200, w.take());
}

http::Response handle_v2_api(std::string_view psa, std::string_view rest, const http::Request& request, Store& store) {
  const auto p = split(rest);
  const bool ticket_list = p.size() == 2 && request.method == "GET";
  if (p.size() >= 2 && p[0] == "servicedesk" && p[1] == "tickets" && !ticket_list) return tickets(psa, p, request, store);
  if (p.size() >= 3 && p[0] == "finance" && p[1] == "contracts" && p[2] == "recurringservices") {
    return contracts(psa, p, request, store);
  }
  if (p.size() >= 2 && p[0] == "admin" && p[1] == "webhooks") return webhooks(psa, p, request, store);
  if (p.size() == 3 && p[0] == "system" && p[2] == "lookup" && request.method == "GET" &&
      (p[1] == "statuses" || p[1] == "priorities" || p[1] == "queues" || p[1] == "issuetypes")) {
    return lookup(p[1]);
  }
  if (rest == "security/userinfo" && request.method == "GET") {
    const Value* user = store.find(v2_store_key(psa, "userinfo"), 1);
    return user ? ok(*user) : envelope_error(404, "Record not found");
  }
  if (rest == "finance/contracts/lookup" && request.method == "GET") return contract_lookup(psa, request, store);
  if (rest == "admin/finance/services/lookup" && request.method == "GET") return service_lookup(request);
  for (const V2Resource& r : v2_resources()) {
    if (!r.list_path.empty() && rest == r.list_path && request.method == "GET") return list(r, psa, request, store);
    if (!r.one_path.empty() && request.method == "GET" && rest.starts_with(r.one_path) &&
        rest.size() > r.one_path.size() + 1 && rest[r.one_path.size()] == '/') {
      Value* record = record_at(store, psa, r.entity, rest.substr(r.one_path.size() + 1));
      if (!record) return envelope_error(404, "Record not found");
      return ok(*record);
    }
  }
  return bms_error(404, "No such route");
}

}  // namespace switchyard::sandbox::kaseya_v2
