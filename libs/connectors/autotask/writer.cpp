// Commands → Autotask writes, idempotently: a ticket is found by the vendor's external_ref
// (first in the write memo, then by querying Tickets.externalID) before one is created, so a
// redelivered command updates the ticket it already made instead of making a second one.
// Notes and configuration items have their own files (note_writer.cpp, configuration_writer.cpp).
#include <simdjson.h>

#include "common/crypto.h"
#include "common/json_writer.h"
#include "common/text.h"
#include "connectors/autotask/autotask_connector.h"
#include "connectors/autotask/picklists.h"
#include "connectors/autotask/write_calls.h"
#include "connectors/autotask/writers.h"
#include "connectors/autotask/zone.h"

namespace switchyard::connectors::autotask {
namespace {

// Autotask's default priority picklist: 1 High, 2 Medium, 3 Low, 4 Critical.
std::string priority_id(const Tenant& t, std::string_view p) {
  if (p == "low") return option_or(t, "priority_low", "3");
  if (p == "high") return option_or(t, "priority_high", "1");
  if (p == "critical") return option_or(t, "priority_critical", "4");
  return option_or(t, "priority_medium", "2");
}

// The priority id a body sends without a resolved one: a canonical value's option id, an id as
// given; nullopt for a label (only the resolver can tell its id).
std::optional<std::string> unresolved_priority(const Tenant& t, const std::optional<FieldChoice>& priority) {
  if (!priority) return std::nullopt;
  if (priority->kind == FieldChoice::Kind::Canonical) return priority_id(t, priority->value);
  if (priority->kind == FieldChoice::Kind::Id) return priority->value;
  return std::nullopt;
}

// Resolves what needs the tenant's mappings or the PSA's picklist. A canonical priority stays
// with the v1 rule (the options) unless the tenant maps it, so v1 commands send what they sent.
std::optional<TicketPicklistIds> resolve_ticket_picklists(const Tenant& t, const TicketUpsert& cmd, PsaHttp& psa,
                                                          const MappingLookup& mappings,
                                                          std::optional<WriteOutcome>& failure) {
  static const Mappings kNone;
  const MappingLookup tenant_only(t.mappings, kNone);
  TicketPicklistIds ids;
  PicklistResolver tickets(psa, t, mappings, "Tickets");
  if (cmd.priority) {
    const bool v1_rule =
        cmd.priority->kind == FieldChoice::Kind::Canonical && !tenant_only.resolve("priority", cmd.priority->value);
    if (!v1_rule) {
      ids.priority = tickets.resolve("priority", "priority", *cmd.priority, "payload.priority", failure);
      if (failure) return std::nullopt;
    }
  }
  if (cmd.status) {
    ids.status = tickets.resolve("status", "status", *cmd.status, "payload.status", failure);
    if (failure) return std::nullopt;
  }
  if (cmd.type) {
    ids.type = tickets.resolve("ticketType", "ticket_type", *cmd.type, "payload.type", failure);
    if (failure) return std::nullopt;
  }
  return ids;
}

void write_picklists(JsonWriter& w, const TicketPicklistIds& ids) {
  if (ids.status) write_id(w, "status", *ids.status);
  if (ids.type) write_id(w, "ticketType", *ids.type);
}

}  // namespace

WriteOutcome upsert_ticket(const Tenant& t, const TicketUpsert& cmd, PsaHttp& psa, WriteMemo& memo,
                           const MappingLookup& mappings) {
  std::optional<WriteOutcome> failure;
  // Before any write: a value that cannot be resolved is rejected with nothing changed.
  const auto ids = resolve_ticket_picklists(t, cmd, psa, mappings, failure);
  if (failure) return *failure;
  const auto existing = existing_ticket(psa, t, memo, cmd.external_ref, failure);
  if (failure) return *failure;
  if (existing) {
    auto call = send(psa, t, "PATCH", "/V1.0/Tickets", ticket_update_body(t, *existing, cmd, *ids));
    if (call.failure) return *call.failure;
    return WriteOutcome::done(*existing, false);
  }
  auto body = ticket_create_body(t, cmd, *ids);
  if (!body) return WriteOutcome::rejected(body.error().message);
  auto call = send(psa, t, "POST", "/V1.0/Tickets", std::move(*body));
  if (call.failure) return *call.failure;
  auto id = item_id_of(*call.response);
  if (!id) return WriteOutcome::retryable(id.error().message, call.response->status);
  memo.remember(t, "ticket", cmd.external_ref, *id);
  return WriteOutcome::done(*id, true);
}

// The status a close sets: options.status_complete when the tenant pins an id, else the
// canonical "complete" through the tenant's mappings over the default (the label "Complete"),
// looked up in the instance's status picklist, so it holds whatever id the instance gave it.
std::optional<std::string> complete_status(const Tenant& t, PsaHttp& psa, const MappingLookup& mappings,
                                           std::optional<WriteOutcome>& failure) {
  if (auto pinned = t.options.find("status_complete"); pinned != t.options.end()) return pinned->second;
  PicklistResolver tickets(psa, t, mappings, "Tickets");
  return tickets.resolve("status", "status", FieldChoice::canonical("complete"), "status (complete)", failure);
}

WriteOutcome close_ticket(const Tenant& t, const TicketClose& cmd, PsaHttp& psa, WriteMemo& memo,
                          const MappingLookup& mappings) {
  std::optional<WriteOutcome> failure;
  const auto existing = existing_ticket(psa, t, memo, cmd.external_ref, failure);
  if (failure) return *failure;
  if (!existing) {
    return WriteOutcome::rejected("no autotask ticket has externalID \"" + cmd.external_ref + "\" to close");
  }
  const auto status = complete_status(t, psa, mappings, failure);
  if (!status) return failure ? *failure : WriteOutcome::rejected("no Complete status in the Tickets picklist");
  JsonWriter w;
  w.begin_object();
  write_id(w, "id", *existing);
  write_id(w, "status", *status);
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

std::string sy_reference(std::string_view external_ref) {
  // Contract charges and configuration items have no externalID. A text field the PSA keeps
  // carries the vendor's reference, prefixed so it is not taken for the MSP's own numbers, and
  // hashed when it would not fit the field's 50 characters.
  constexpr std::string_view kPrefix = "sy:";
  constexpr size_t kFieldLength = 50;
  if (kPrefix.size() + external_ref.size() <= kFieldLength) return std::string(kPrefix) + std::string(external_ref);
  return std::string(kPrefix) + "h:" + crypto::sha256_hex(external_ref).substr(0, kFieldLength - kPrefix.size() - 2);
}

Result<std::string> ticket_create_body(const Tenant& t, const TicketUpsert& cmd, const TicketPicklistIds& ids) {
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
  write_id(w, "status", ids.status.value_or(option_or(t, "status_new", "1")));
  write_id(w, "priority", ids.priority ? *ids.priority : unresolved_priority(t, cmd.priority).value_or(priority_id(t, "medium")));
  if (ids.type) write_id(w, "ticketType", *ids.type);
  if (cmd.contact_id) write_id(w, "contactID", *cmd.contact_id);
  w.field("externalID", cmd.external_ref);
  w.end_object();
  return w.take();
}

std::string ticket_update_body(const Tenant& t, std::string_view id, const TicketUpsert& cmd,
                               const TicketPicklistIds& ids) {
  JsonWriter w;
  w.begin_object();
  write_id(w, "id", std::string(id));
  w.field("title", cmd.title);
  if (cmd.description) w.field("description", *cmd.description);
  if (const auto priority = ids.priority ? ids.priority : unresolved_priority(t, cmd.priority)) {
    write_id(w, "priority", *priority);
  }
  write_picklists(w, ids);
  if (cmd.contact_id) write_id(w, "contactID", *cmd.contact_id);
  w.end_object();
  return w.take();
}

WriteOutcome AutotaskConnector::execute(const Tenant& t, const Command& command, PsaHttp& http, WriteMemo& memo) const {
  const MappingLookup mappings(t.mappings, spec().default_mappings);
  ZoneHttp psa(t, http);  // every call to the tenant's zone (zone.h)
  return std::visit(
      [&](const auto& payload) -> WriteOutcome {
        using P = std::decay_t<decltype(payload)>;
        if constexpr (std::is_same_v<P, TicketUpsert>) return upsert_ticket(t, payload, psa, memo, mappings);
        else if constexpr (std::is_same_v<P, TicketClose>) return close_ticket(t, payload, psa, memo, mappings);
        else if constexpr (std::is_same_v<P, BillingLineAdd>) return add_billing_line(t, payload, psa, memo);
        else if constexpr (std::is_same_v<P, TicketNoteAdd>) return add_ticket_note(t, payload, psa, memo);
        else return upsert_configuration(t, payload, psa, memo, mappings);
      },
      command.payload);
}

}  // namespace switchyard::connectors::autotask
