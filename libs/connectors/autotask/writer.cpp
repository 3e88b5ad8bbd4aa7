// Commands → Autotask writes, idempotently: a ticket is found by the vendor's external_ref
// (first in the write memo, then by querying Tickets.externalID) before one is created, so a
// redelivered command updates the ticket it already made instead of making a second one.
#include <simdjson.h>

#include "common/crypto.h"
#include "common/json_read.h"
#include "common/json_writer.h"
#include "common/text.h"
#include "connectors/autotask/autotask_connector.h"

namespace switchyard::connectors::autotask {
namespace {

constexpr size_t kMaxDetail = 300;

std::string option_or(const Tenant& t, const std::string& name, std::string fallback) {
  auto it = t.options.find(name);
  return it == t.options.end() ? std::move(fallback) : it->second;
}

// Autotask's default priority picklist: 1 High, 2 Medium, 3 Low, 4 Critical.
std::string priority_id(const Tenant& t, const std::optional<std::string>& priority) {
  const std::string p = priority.value_or("medium");
  if (p == "low") return option_or(t, "priority_low", "3");
  if (p == "high") return option_or(t, "priority_high", "1");
  if (p == "critical") return option_or(t, "priority_critical", "4");
  return option_or(t, "priority_medium", "2");
}

// Autotask ids are integers; options and commands carry them as strings.
void write_id(JsonWriter& w, std::string_view key, const std::string& id) {
  w.key(key);
  const bool numeric = !id.empty() && id.find_first_not_of("0123456789") == std::string::npos && id.size() < 18;
  if (numeric) w.value(static_cast<int64_t>(std::stoll(id)));
  else w.value(id);
}

// First message of {"errors": ["..."]}, bounded, for a human-readable dead-letter reason.
std::string error_detail(const http::ClientResponse& r) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  std::string detail;
  if (parser.parse(r.body).get(root) == simdjson::SUCCESS) {
    simdjson::dom::array errors;
    if (root["errors"].get(errors) == simdjson::SUCCESS) {
      for (simdjson::dom::element e : errors) {
        std::string_view msg;
        if (e.get(msg) == simdjson::SUCCESS) {
          if (!detail.empty()) detail += "; ";
          detail += msg;
        }
      }
    }
  }
  return utf8_prefix(detail, kMaxDetail);
}

struct Call {
  std::optional<http::ClientResponse> response;  // set when the PSA answered 2xx
  std::optional<WriteOutcome> failure;
};

Call send(PsaHttp& psa, const Tenant& t, std::string method, const std::string& path, std::string body) {
  http::ClientRequest req{.method = std::move(method), .url = t.base_url + path, .headers = auth_headers(t),
                          .body = std::move(body)};
  auto r = psa.send(req);
  if (!r) return {std::nullopt, WriteOutcome::retryable("autotask unreachable: " + r.error().message)};
  if (r->status >= 200 && r->status < 300) return {std::move(*r), std::nullopt};
  const std::string detail = error_detail(*r);
  const std::string what = "autotask answered " + std::to_string(r->status) + " to " + req.method + " " + path +
                           (detail.empty() ? "" : ": " + detail);
  // Autotask reports validation failures as HTTP 500 with an "errors" list (facts.md §2.4):
  // those are rejections; a 500 without one is a server fault worth retrying.
  if (r->status == 500 && !detail.empty()) return {std::nullopt, WriteOutcome::rejected(what, r->status)};
  if (is_retryable_status(r->status)) {
    return {std::nullopt, WriteOutcome::retryable(what, r->status, retry_after_of(*r))};
  }
  return {std::nullopt, WriteOutcome::rejected(what, r->status)};
}

// The id of the first `entity` record matching every (field, value) pair; nullopt when none.
// A PSA failure is reported in `failure` (and nullopt returned).
Result<std::optional<std::string>> find_one(PsaHttp& psa, const Tenant& t, const std::string& entity,
                                            const std::vector<std::pair<std::string, std::string>>& match,
                                            std::optional<WriteOutcome>& failure) {
  JsonWriter q;
  q.begin_object().field("MaxRecords", 1).key("IncludeFields").begin_array().value("id").end_array();
  q.key("Filter").begin_array();
  for (const auto& [field, value] : match) {
    q.begin_object().field("op", "eq").field("field", field).field("value", value).end_object();
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

// The id of the record a command made before: the memo first, then the PSA, queried by the
// reference the create stored on the record. nullopt when none exists. Asking the PSA whenever
// the memo has no answer is what makes a create safe to retry after a lost answer (a timeout
// or a 5xx after the PSA made the record), and safe when Redis is down.
std::optional<std::string> existing_record(PsaHttp& psa, const Tenant& t, WriteMemo& memo, std::string_view kind,
                                           const std::string& ref, const std::string& entity,
                                           const std::vector<std::pair<std::string, std::string>>& match,
                                           std::optional<WriteOutcome>& failure) {
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

WriteOutcome upsert_ticket(const Tenant& t, const TicketUpsert& cmd, PsaHttp& psa, WriteMemo& memo) {
  std::optional<WriteOutcome> failure;
  const auto existing = existing_ticket(psa, t, memo, cmd.external_ref, failure);
  if (failure) return *failure;
  if (existing) {
    auto call = send(psa, t, "PATCH", "/V1.0/Tickets", ticket_update_body(t, *existing, cmd));
    if (call.failure) return *call.failure;
    return WriteOutcome::done(*existing, false);
  }
  auto body = ticket_create_body(t, cmd);
  if (!body) return WriteOutcome::rejected(body.error().message);
  auto call = send(psa, t, "POST", "/V1.0/Tickets", std::move(*body));
  if (call.failure) return *call.failure;
  auto id = item_id_of(*call.response);
  if (!id) return WriteOutcome::retryable(id.error().message, call.response->status);
  memo.remember(t, "ticket", cmd.external_ref, *id);
  return WriteOutcome::done(*id, true);
}

WriteOutcome close_ticket(const Tenant& t, const TicketClose& cmd, PsaHttp& psa, WriteMemo& memo) {
  std::optional<WriteOutcome> failure;
  const auto existing = existing_ticket(psa, t, memo, cmd.external_ref, failure);
  if (failure) return *failure;
  if (!existing) {
    return WriteOutcome::rejected("no autotask ticket has externalID \"" + cmd.external_ref + "\" to close");
  }
  JsonWriter w;
  w.begin_object();
  write_id(w, "id", *existing);
  write_id(w, "status", option_or(t, "status_complete", "5"));
  if (cmd.resolution) w.field("resolution", *cmd.resolution);
  w.end_object();
  auto call = send(psa, t, "PATCH", "/V1.0/Tickets", w.take());
  if (call.failure) return *call.failure;
  return WriteOutcome::done(*existing, false);
}

WriteOutcome add_billing_line(const Tenant& t, const BillingLineAdd& cmd, PsaHttp& psa, WriteMemo& memo) {
  const std::string reference = charge_reference(cmd.external_ref);
  std::optional<WriteOutcome> failure;
  const auto existing = existing_record(psa, t, memo, "billing_line", cmd.external_ref, "ContractCharges",
                                        {{"contractID", cmd.agreement_id}, {"internalPurchaseOrderNumber", reference}},
                                        failure);
  if (failure) return *failure;
  if (existing) return WriteOutcome::done(*existing, false);
  JsonWriter w;
  w.begin_object();
  write_id(w, "contractID", cmd.agreement_id);
  w.field("name", utf8_prefix(cmd.description, 100)).field("description", cmd.description);
  w.field("unitQuantity", cmd.quantity);
  if (cmd.unit_price) w.field("unitPrice", *cmd.unit_price);
  if (cmd.product_id) write_id(w, "productID", *cmd.product_id);
  if (cmd.effective_date) w.field("datePurchased", *cmd.effective_date + "T00:00:00Z");
  w.field("isBillableToCompany", true);
  w.field("internalPurchaseOrderNumber", reference);
  w.end_object();
  auto call = send(psa, t, "POST", "/V1.0/Contracts/" + http::url_encode(cmd.agreement_id) + "/Charges", w.take());
  if (call.failure) return *call.failure;
  auto id = item_id_of(*call.response);
  if (!id) return WriteOutcome::retryable(id.error().message, call.response->status);
  memo.remember(t, "billing_line", cmd.external_ref, *id);
  return WriteOutcome::done(*id, true);
}

}  // namespace

std::string charge_reference(std::string_view external_ref) {
  // Contract charges have no externalID. internalPurchaseOrderNumber (unlike purchaseOrderNumber
  // it stays off the customer's invoice) carries the vendor's reference, prefixed so it is not
  // taken for the MSP's own numbers, and hashed when it would not fit the field's 50 characters.
  constexpr std::string_view kPrefix = "sy:";
  constexpr size_t kFieldLength = 50;
  if (kPrefix.size() + external_ref.size() <= kFieldLength) return std::string(kPrefix) + std::string(external_ref);
  return std::string(kPrefix) + "h:" + crypto::sha256_hex(external_ref).substr(0, kFieldLength - kPrefix.size() - 2);
}

Result<std::string> ticket_create_body(const Tenant& t, const TicketUpsert& cmd) {
  const std::string company = cmd.company_id.value_or(option_or(t, "default_company_id", ""));
  if (company.empty()) {
    return make_error("invalid_command", "payload.company_id: required (tenant " + t.id +
                                            " has no options.default_company_id)");
  }
  const std::string queue = cmd.board_id.value_or(option_or(t, "default_queue_id", ""));
  if (queue.empty()) {
    return make_error("invalid_command", "payload.board_id: required (tenant " + t.id +
                                            " has no options.default_queue_id)");
  }
  JsonWriter w;
  w.begin_object();
  write_id(w, "companyID", company);
  write_id(w, "queueID", queue);
  w.field("title", cmd.title);
  if (cmd.description) w.field("description", *cmd.description);
  write_id(w, "status", option_or(t, "status_new", "1"));
  write_id(w, "priority", priority_id(t, cmd.priority));
  w.field("externalID", cmd.external_ref);
  w.end_object();
  return w.take();
}

std::string ticket_update_body(const Tenant& t, std::string_view id, const TicketUpsert& cmd) {
  JsonWriter w;
  w.begin_object();
  write_id(w, "id", std::string(id));
  w.field("title", cmd.title);
  if (cmd.description) w.field("description", *cmd.description);
  if (cmd.priority) write_id(w, "priority", priority_id(t, cmd.priority));
  w.end_object();
  return w.take();
}

WriteOutcome AutotaskConnector::execute(const Tenant& t, const Command& command, PsaHttp& psa, WriteMemo& memo) const {
  return std::visit(
      [&](const auto& payload) -> WriteOutcome {
        using P = std::decay_t<decltype(payload)>;
        if constexpr (std::is_same_v<P, TicketUpsert>) return upsert_ticket(t, payload, psa, memo);
        else if constexpr (std::is_same_v<P, TicketClose>) return close_ticket(t, payload, psa, memo);
        else return add_billing_line(t, payload, psa, memo);
      },
      command.payload);
}

}  // namespace switchyard::connectors::autotask
