// ticket.upsert and ticket.close → HaloPSA tickets. Every write is POST /Tickets with a JSON
// array: an item without an id creates, one with an id updates. A ticket made for a command
// carries "sy-ref:<external_ref>" in supplier_reference, the one text field the spec lets a
// ticket list search by (search_supplier_reference), so a redelivered command whose write memo
// was lost finds its ticket at Halo. Statuses and priorities are ids; a ticket is closed by an
// Action that sets the tenant's closed status (Halo's stock 9) and carries the resolution.
#include <simdjson.h>

#include "common/json_writer.h"
#include "connectors/halopsa/write_calls.h"
#include "connectors/halopsa/writers.h"
#include "connectors/write_values.h"

namespace switchyard::connectors::halopsa {
namespace {

constexpr std::string_view kTicketsEdit = "Tickets (edit)";
constexpr std::string_view kActionsEdit = "Actions (edit)";

struct TicketFields {
  std::optional<int64_t> status, priority, type;
};

void write_fields(JsonWriter& w, const TicketUpsert& cmd, const TicketFields& f) {
  if (cmd.description) w.field("details", *cmd.description);
  if (f.status) w.field("status_id", *f.status);
  if (f.priority) w.field("priority_id", *f.priority);
  if (f.type) w.field("tickettype_id", *f.type);
  if (cmd.contact_id) {
    if (auto user = halo_id(*cmd.contact_id)) w.field("user_id", *user);
  }
}

WriteOutcome create(const Tenant& t, const TicketUpsert& cmd, const TicketFields& f, PsaHttp& psa, WriteMemo& memo) {
  const std::string client = cmd.company_id.value_or(option_or(t, "default_client_id"));
  const auto client_id = halo_id(client);
  if (!client_id) {
    return WriteOutcome::rejected("a HaloPSA ticket needs a client: send company_id (a HaloPSA client id), or set "
                                  "options.default_client_id for the tenant");
  }
  JsonWriter w;
  w.begin_array().begin_object().field("summary", cmd.title).field("client_id", *client_id)
      .field("supplier_reference", reference_of(cmd.external_ref));
  write_fields(w, cmd, f);
  w.end_object().end_array();
  auto call = send(psa, t, "POST", "Tickets", w.take(), "creating the ticket", kTicketsEdit);
  if (call.failure) return *call.failure;
  const auto id = written_id(*call.response);
  // Found again by its reference when redelivered, so retrying makes no second ticket.
  if (!id) return WriteOutcome::retryable("HaloPSA created a ticket but its answer has no id");
  memo.remember(t, "ticket", cmd.external_ref, *id);
  return WriteOutcome::done(*id, true);
}

// Only what the command carries is replaced.
WriteOutcome update(const Tenant& t, const std::string& id, const TicketUpsert& cmd, const TicketFields& f,
                    PsaHttp& psa) {
  JsonWriter w;
  w.begin_array().begin_object().field("id", *halo_id(id)).field("summary", cmd.title);
  if (cmd.company_id) {
    if (auto client = halo_id(*cmd.company_id)) w.field("client_id", *client);
  }
  write_fields(w, cmd, f);
  w.end_object().end_array();
  auto call = send(psa, t, "POST", "Tickets", w.take(), "updating the ticket", kTicketsEdit);
  if (call.failure) return *call.failure;
  return WriteOutcome::done(id, false);
}

WriteOutcome no_ticket(std::string_view external_ref, std::string_view to_do) {
  std::string detail = "no HaloPSA ticket carries the supplier reference \"";
  detail.append(reference_of(external_ref)).append("\" ").append(to_do);
  return WriteOutcome::rejected(std::move(detail));
}

}  // namespace

std::optional<int64_t> closed_status_id(const Tenant& t) { return halo_id(option_or(t, "closed_status_id", "9")); }

WriteOutcome upsert_ticket(const Tenant& t, const TicketUpsert& cmd, PsaHttp& psa, WriteMemo& memo,
                           const MappingLookup& mappings) {
  std::optional<WriteOutcome> failure;
  TicketFields f;
  f.status = choice_id(cmd.status, "status", mappings, failure);
  f.priority = choice_id(cmd.priority, "priority", mappings, failure);
  f.type = choice_id(cmd.type, "ticket_type", mappings, failure);
  if (failure) return *failure;
  const auto existing = existing_ticket(psa, t, memo, cmd.external_ref, failure);
  if (failure) return *failure;
  if (existing && !halo_id(*existing)) return WriteOutcome::rejected("the write memo holds a ticket id HaloPSA cannot take");
  return existing ? update(t, *existing, cmd, f, psa) : create(t, cmd, f, psa, memo);
}

WriteOutcome close_ticket(const Tenant& t, const TicketClose& cmd, PsaHttp& psa, WriteMemo& memo) {
  const auto closed = closed_status_id(t);
  if (!closed) return WriteOutcome::rejected("options.closed_status_id is not a HaloPSA status id (a positive number)");
  std::optional<WriteOutcome> failure;
  const auto id = existing_ticket(psa, t, memo, cmd.external_ref, failure);
  if (failure) return *failure;
  if (!id) return no_ticket(cmd.external_ref, "to close");
  const auto ticket_id = halo_id(*id);
  if (!ticket_id) return WriteOutcome::rejected("the write memo holds a ticket id HaloPSA cannot take");
  std::string path = "Tickets/";
  path.append(*id);
  auto current = send(psa, t, "GET", path, "", "reading the ticket", "Tickets (read)");
  if (current.failure) return *current.failure;
  simdjson::dom::parser parser;
  int64_t status = 0;
  if (parser.parse(current.response->body)["status_id"].get(status) == simdjson::SUCCESS && status == *closed) {
    return WriteOutcome::done(*id, false);  // a redelivery: closed already, resolution included
  }
  // One Action sets the status and carries the resolution, so a retry never adds it twice.
  JsonWriter w;
  w.begin_array().begin_object()
      .field("ticket_id", *ticket_id)
      .field("outcome", "Closed")
      .field("note", cmd.resolution && !cmd.resolution->empty() ? *cmd.resolution : std::string("Closed"))
      .field("new_status", *closed)
      .field("hiddenfromuser", false)
      .field("sendemail", false)
      .end_object().end_array();
  auto call = send(psa, t, "POST", "Actions", w.take(), "closing the ticket", kActionsEdit);
  if (call.failure) return *call.failure;
  return WriteOutcome::done(*id, false);
}

}  // namespace switchyard::connectors::halopsa
