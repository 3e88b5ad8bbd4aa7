// The v2 writes (docs/psa/kaseya-bms.md, "Writes"). Every write looks in the memo first, then
// finds its record again in the PSA by the marker it stamped on it, so a redelivered command
// never writes twice:
//   ticket.upsert   POST /servicedesk/tickets (Details end in "(sy-ref <ref>)"), or
//                   PATCH /servicedesk/tickets/{id} with JSON Patch operations
//   ticket.close    POST /servicedesk/tickets/{id}/resolve (a completed ticket is left as it is)
//   ticket.note     POST /servicedesk/tickets/{id}/notes (Details end in "(sy-note <note_ref>)")
//   billing_line.add POST /finance/contracts/recurringservices/{id}/services (a contract service
//                   whose description ends in "(sy-line <ref>)")
#include <cmath>

#include "common/json_writer.h"
#include "connectors/kaseya_v2/v2_connector.h"
#include "connectors/kaseya_v2/v2_json.h"
#include "connectors/kaseya_v2/v2_write_calls.h"
#include "connectors/note_marker.h"

namespace switchyard::connectors::kaseya_v2 {
namespace {

constexpr std::string_view kTickets = "Service Desk > Tickets";
constexpr std::string_view kContracts = "Finance > Contracts";

std::optional<int64_t> number_id(std::string_view text) {
  if (text.empty() || text.size() > 18 || text.find_first_not_of("0123456789") != std::string_view::npos) return std::nullopt;
  const int64_t n = std::stoll(std::string(text));
  return n > 0 ? std::optional<int64_t>(n) : std::nullopt;
}

std::string option_or(const Tenant& t, const std::string& name) {
  const auto it = t.options.find(name);
  return it == t.options.end() ? std::string() : it->second;
}

std::string with_marker(const std::optional<std::string>& text, const std::string& marker) {
  std::string out = text.value_or("");
  if (!out.empty()) out.append("\n\n");
  out.append(marker);
  return out;
}

void replace_op(JsonWriter& w, std::string_view path, auto value) {
  w.begin_object().field("op", "replace").field("path", path).field("value", value).end_object();
}

WriteOutcome upsert_ticket(const WriteContext& c, const TicketUpsert& cmd, const MappingLookup& mappings) {
  std::optional<WriteOutcome> failure;
  const auto status = choice_id(c, cmd.status, "statuses", "status", mappings, failure);
  const auto priority = choice_id(c, cmd.priority, "priorities", "priority", mappings, failure);
  if (failure) return *failure;
  const auto existing = existing_ticket(c, cmd.external_ref, failure);
  if (failure) return *failure;
  // 0: not sent (plain values: GCC 12 misreads optionals passed on by value here).
  const int64_t contact = cmd.contact_id ? number_id(*cmd.contact_id).value_or(0) : 0;
  if (existing) {
    // Only what the command carries is replaced; the Details (and their marker) stay.
    JsonWriter w;
    w.begin_array();
    replace_op(w, "/Title", cmd.title);
    if (status) replace_op(w, "/StatusId", *status);
    if (priority) replace_op(w, "/PriorityId", *priority);
    if (contact > 0) replace_op(w, "/ContactId", contact);
    w.end_array();
    std::string path = "servicedesk/tickets/";
    path.append(*existing);
    auto call = send(c, "PATCH", path, w.take(), "updating the ticket", kTickets);
    if (call.failure) return *call.failure;
    return WriteOutcome::done(*existing, false);
  }
  const auto account = number_id(cmd.company_id.value_or(option_or(c.tenant, "default_account_id")));
  if (!account) {
    std::string detail = "a ";
    detail.append(c.flavor.product).append(" ticket needs an account: send company_id (an account id), or set "
                                            "options.default_account_id for the tenant");
    return WriteOutcome::rejected(std::move(detail));
  }
  const auto queue = number_id(cmd.board_id.value_or(option_or(c.tenant, "default_queue_id")));
  JsonWriter w;
  w.begin_object().field("Title", cmd.title).field("Details", with_marker(cmd.description, reference_marker(cmd.external_ref)));
  w.field("AccountId", *account);
  if (queue) w.field("QueueId", *queue);
  if (status) w.field("StatusId", *status);
  if (priority) w.field("PriorityId", *priority);
  if (contact > 0) w.field("ContactId", contact);
  w.end_object();
  auto call = send(c, "POST", "servicedesk/tickets", w.take(), "creating the ticket", kTickets);
  if (call.failure) return *call.failure;
  const auto id = id_of(*call.result);
  if (!id) return WriteOutcome::retryable("the ticket was created but the answer has no Id");
  c.memo.remember(c.tenant, "ticket", cmd.external_ref, *id);
  return WriteOutcome::done(*id, true);
}

WriteOutcome close_ticket(const WriteContext& c, const TicketClose& cmd, const MappingLookup& mappings) {
  std::optional<WriteOutcome> failure;
  const auto id = existing_ticket(c, cmd.external_ref, failure);
  if (failure) return *failure;
  if (!id) {
    std::string detail = "no ticket carries the marker \"";
    detail.append(reference_marker(cmd.external_ref)).append("\" to close");
    return WriteOutcome::rejected(std::move(detail));
  }
  std::string path = "servicedesk/tickets/";
  path.append(*id);
  auto current = send(c, "GET", path, "", "reading the ticket", kTickets);
  if (current.failure) return *current.failure;
  simdjson::dom::parser parser;
  simdjson::dom::object ticket;
  if (parser.parse(*current.result).get(ticket) == simdjson::SUCCESS && text(ticket, "CompletedDate")) {
    return WriteOutcome::done(*id, false);  // a redelivery: resolved already, its comment included
  }
  const auto status = choice_id(c, FieldChoice::canonical("complete"), "statuses", "status", mappings, failure);
  if (failure) return *failure;
  JsonWriter w;
  w.begin_object().field("Id", *number_id(*id)).field("StatusId", *status).field("IsInternal", false);
  w.field("Comment", cmd.resolution && !cmd.resolution->empty() ? *cmd.resolution : std::string("Resolved"));
  w.end_object();
  path.append("/resolve");
  auto call = send(c, "POST", path, w.take(), "resolving the ticket", kTickets);
  if (call.failure) return *call.failure;
  return WriteOutcome::done(*id, false);
}

WriteOutcome add_note(const WriteContext& c, const TicketNoteAdd& cmd) {
  std::optional<WriteOutcome> failure;
  const auto ticket = existing_ticket(c, cmd.external_ref, failure);
  if (failure) return *failure;
  if (!ticket) {
    std::string detail = "no ticket carries the marker \"";
    detail.append(reference_marker(cmd.external_ref)).append("\" to add the note to");
    return WriteOutcome::rejected(std::move(detail));
  }
  const auto finish = [&](std::string id, bool created) {
    WriteOutcome done = WriteOutcome::done(std::move(id), created);
    done.parent_psa_id = *ticket;
    return done;
  };
  if (auto id = c.memo.lookup(c.tenant, "ticket_note", cmd.note_ref)) return finish(*id, false);
  const std::string marker = note_marker(cmd.note_ref);
  std::string path = "servicedesk/tickets/";
  path.append(*ticket).append("/notes");
  auto notes = send(c, "GET", path + "?PageNumber=1&PageSize=100", "", "reading the ticket's notes", kTickets);
  if (notes.failure) return *notes.failure;
  simdjson::dom::parser parser;
  simdjson::dom::array list;
  if (parser.parse(*notes.result).get(list) == simdjson::SUCCESS) {
    for (simdjson::dom::element item : list) {
      simdjson::dom::object note;
      if (item.get(note) != simdjson::SUCCESS) continue;
      const auto details = text(note, "Details");
      auto id = id_text(note, "Id");
      if (id && details && details->find(marker) != std::string::npos) {
        c.memo.remember(c.tenant, "ticket_note", cmd.note_ref, *id);
        return finish(*id, false);
      }
    }
  }
  JsonWriter w;
  w.begin_object().field("Details", with_marker(cmd.text, marker));
  w.field("IsInternal", cmd.visibility == TicketNoteAdd::Visibility::Internal).end_object();
  auto call = send(c, "POST", path, w.take(), "adding the note", kTickets);
  if (call.failure) return *call.failure;
  const auto id = id_of(*call.result);
  if (!id) return WriteOutcome::retryable("the note was added but the answer has no Id");
  c.memo.remember(c.tenant, "ticket_note", cmd.note_ref, *id);
  return finish(*id, true);
}

std::string line_marker(std::string_view ref) {
  std::string marker = "(sy-line ";
  marker.append(ref).append(")");
  return marker;
}

WriteOutcome add_billing_line(const WriteContext& c, const BillingLineAdd& cmd) {
  if (auto id = c.memo.lookup(c.tenant, "billing_line", cmd.external_ref)) return WriteOutcome::done(*id, false);
  const auto contract = number_id(cmd.agreement_id);
  if (!contract) return WriteOutcome::rejected("payload.agreement_id: a recurring-service contract id is a number");
  const auto service = cmd.product_id ? number_id(*cmd.product_id) : std::nullopt;
  if (!service) {
    return WriteOutcome::rejected("payload.product_id: a contract service needs the id of a service "
                                  "(Admin > Finance > Services) as product_id");
  }
  // Units are whole numbers in the v2 API.
  if (cmd.quantity < 1 || cmd.quantity > 1e9 || std::floor(cmd.quantity) != cmd.quantity) {
    return WriteOutcome::rejected("payload.quantity: contract service units are a whole number of at least 1");
  }
  const std::string marker = line_marker(cmd.external_ref);
  std::string path = "finance/contracts/recurringservices/";
  path.append(cmd.agreement_id);
  auto current = send(c, "GET", path, "", "reading the contract", kContracts);
  if (current.failure) return *current.failure;
  simdjson::dom::parser parser;
  simdjson::dom::object contract_record;
  if (parser.parse(*current.result).get(contract_record) == simdjson::SUCCESS) {
    simdjson::dom::array services;
    if (const auto list = field(contract_record, "Services"); list && list->get(services) == simdjson::SUCCESS) {
      for (simdjson::dom::element item : services) {
        simdjson::dom::object s;
        if (item.get(s) != simdjson::SUCCESS) continue;
        const auto description = text(s, "ServiceDescription");
        auto id = id_text(s, "Id");
        if (id && description && description->find(marker) != std::string::npos) {
          c.memo.remember(c.tenant, "billing_line", cmd.external_ref, *id);
          return WriteOutcome::done(*id, false);
        }
      }
    }
  }
  JsonWriter w;
  w.begin_array().begin_object().field("ServiceId", *service).field("ServiceName", cmd.description);
  w.field("ServiceDescription", with_marker(cmd.description, marker));
  w.field("Units", static_cast<int64_t>(cmd.quantity));
  if (cmd.unit_price) w.field("UnitPrice", *cmd.unit_price);
  if (cmd.effective_date) w.field("EffectiveDate", *cmd.effective_date);
  w.end_object().end_array();
  path.append("/services");
  auto call = send(c, "POST", path, w.take(), "adding the contract service", kContracts);
  if (call.failure) return *call.failure;
  const auto id = id_of(*call.result);
  if (!id) return WriteOutcome::retryable("the contract service was added but the answer has no Id");
  c.memo.remember(c.tenant, "billing_line", cmd.external_ref, *id);
  return WriteOutcome::done(*id, true);
}

}  // namespace

std::vector<std::string_view> V2Connector::supported_commands() const {
  return {"ticket.upsert", "ticket.close", "ticket.note", "billing_line.add"};
}

WriteOutcome V2Connector::execute(const Tenant& tenant, const Command& command, PsaHttp& http, WriteMemo& memo) const {
  const MappingLookup mappings(tenant.mappings, spec().default_mappings);
  const WriteContext c{flavor_, tenant, http, memo};
  return std::visit(
      [&](const auto& payload) -> WriteOutcome {
        using T = std::decay_t<decltype(payload)>;
        if constexpr (std::is_same_v<T, TicketUpsert>) return upsert_ticket(c, payload, mappings);
        if constexpr (std::is_same_v<T, TicketClose>) return close_ticket(c, payload, mappings);
        if constexpr (std::is_same_v<T, TicketNoteAdd>) return add_note(c, payload);
        if constexpr (std::is_same_v<T, BillingLineAdd>) return add_billing_line(c, payload);
        // Not in supported_commands(): dispatch dead-letters these before calling execute().
        std::string detail(flavor_.product);
        detail.append(" does not support this command yet");
        return WriteOutcome::rejected(std::move(detail));
      },
      command.payload);
}

}  // namespace switchyard::connectors::kaseya_v2
