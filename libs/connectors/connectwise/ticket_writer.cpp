// ticket.upsert and ticket.close → ConnectWise service tickets. A ticket is found again by the
// vendor's external_ref (the write memo, then externalXRef) before one is created, so a
// redelivered command updates the ticket it made. Updates are JSON Patch, as ConnectWise takes
// them; a close moves the ticket to a closed status of its own board, read from the board.
#include <simdjson.h>

#include "common/json_writer.h"
#include "common/text.h"
#include "connectors/connectwise/note_writer.h"
#include "connectors/connectwise/references.h"
#include "connectors/connectwise/write_calls.h"
#include "connectors/write_values.h"
#include "connectors/connectwise/writers.h"

namespace switchyard::connectors::connectwise {
namespace {

constexpr size_t kSummaryChars = 100;  // ConnectWise's summary limit

// The first `n` code points of valid UTF-8 text.
std::string first_code_points(std::string_view s, size_t n) {
  size_t i = 0;
  for (size_t seen = 0; i < s.size(); ++i) {
    if ((s[i] & 0xC0) != 0x80 && seen++ == n) break;
  }
  return std::string(s.substr(0, i));
}

// The summary within ConnectWise's 100 characters; a longer title also opens the description,
// so nothing the vendor sent is lost.
std::pair<std::string, std::string> summary_and_description(const TicketUpsert& cmd) {
  std::string description = cmd.description.value_or("");
  if (utf8_length(cmd.title) <= kSummaryChars) return {cmd.title, description};
  std::string summary = first_code_points(cmd.title, kSummaryChars - 1) + "…";
  return {summary, cmd.title + (description.empty() ? "" : "\n\n" + description)};
}

struct TicketFields {
  std::optional<Reference> board, company, contact, status, priority, type;
};

std::optional<TicketFields> fields_of(const Tenant& t, const TicketUpsert& cmd, const MappingLookup& mappings,
                                      std::optional<WriteOutcome>& failure) {
  TicketFields f;
  const std::string board = cmd.board_id.value_or(option_or(t, "default_board_id"));
  if (!board.empty()) f.board = id_reference(board);
  const std::string company = cmd.company_id.value_or(option_or(t, "default_company_id"));
  if (!company.empty()) f.company = id_reference(company);
  if (cmd.contact_id) f.contact = id_reference(*cmd.contact_id);
  const auto choose = [&](const std::optional<FieldChoice>& choice, std::string_view kind,
                          std::optional<Reference>& out) {
    if (choice && !failure) out = reference_of(*choice, kind, mappings, failure);
  };
  choose(cmd.status, "status", f.status);
  choose(cmd.priority, "priority", f.priority);
  choose(cmd.type, "ticket_type", f.type);
  if (failure) return std::nullopt;
  return f;
}

WriteOutcome create(const Tenant& t, const TicketUpsert& cmd, const TicketFields& f, PsaHttp& psa, WriteMemo& memo) {
  if (!f.company) {
    return WriteOutcome::rejected("a ConnectWise ticket needs a company: send company_id, or set "
                                  "options.default_company_id for the tenant");
  }
  const auto [summary, description] = summary_and_description(cmd);
  JsonWriter w;
  w.begin_object().field("summary", summary);
  if (!description.empty()) w.field("initialDescription", description);
  w.field("externalXRef", cmd.external_ref);
  if (f.board) write_reference(w, "board", *f.board);
  write_reference(w, "company", *f.company);
  if (f.contact) write_reference(w, "contact", *f.contact);
  if (f.status) write_reference(w, "status", *f.status);
  if (f.priority) write_reference(w, "priority", *f.priority);
  if (f.type) write_reference(w, "type", *f.type);
  w.end_object();
  auto call = send(psa, t, "POST", "/service/tickets", w.take(), {"creating the ticket", kTicketsGrant});
  if (call.failure) return *call.failure;
  const auto id = id_of(*call.response);
  if (!id) return WriteOutcome::retryable("ConnectWise created a ticket but its answer has no id");
  memo.remember(t, "ticket", cmd.external_ref, *id);
  return WriteOutcome::done(*id, true);
}

// Only what the command carries is replaced. The description is not: ConnectWise keeps it as the
// ticket's first note, so a changed description goes in as a note (ticket.note).
WriteOutcome update(const Tenant& t, const std::string& id, const TicketUpsert& cmd, const TicketFields& f,
                    PsaHttp& psa) {
  JsonWriter w;
  w.begin_array();
  const auto replace_reference = [&](std::string_view path, const std::optional<Reference>& ref) {
    if (!ref) return;
    w.begin_object().field("op", "replace").field("path", path);
    write_reference(w, "value", *ref);
    w.end_object();
  };
  w.begin_object().field("op", "replace").field("path", "summary").field("value", summary_and_description(cmd).first);
  w.end_object();
  if (cmd.board_id) replace_reference("board", f.board);
  if (cmd.company_id) replace_reference("company", f.company);
  replace_reference("contact", f.contact);
  replace_reference("status", f.status);
  replace_reference("priority", f.priority);
  replace_reference("type", f.type);
  w.end_array();
  auto call = send(psa, t, "PATCH", "/service/tickets/" + id, w.take(), {"updating the ticket", kTicketsGrant});
  if (call.failure) return *call.failure;
  return WriteOutcome::done(id, false);
}

// The closed status to move the ticket to: the tenant's "status" mapping for "closed" (or
// "complete"), else the first closed status of the ticket's board.
std::optional<Reference> closed_status(const Tenant& t, const std::string& ticket_id, PsaHttp& psa,
                                       const MappingLookup& mappings, std::optional<WriteOutcome>& failure) {
  // The connector's defaults map neither: a board's closed statuses differ per board.
  for (std::string_view canonical : {"closed", "complete"}) {
    if (mappings.resolve("status", canonical)) {
      return reference_of(FieldChoice::canonical(std::string(canonical)), "status", mappings, failure);
    }
  }
  auto ticket = send(psa, t, "GET", "/service/tickets/" + ticket_id + "?fields=id,board,closedFlag", "",
                     {"reading the ticket's board", kTicketsGrant});
  if (ticket.failure) {
    failure = std::move(ticket.failure);
    return std::nullopt;
  }
  simdjson::dom::parser parser;
  int64_t board = 0;
  if (parser.parse(ticket.response->body)["board"]["id"].get(board) != simdjson::SUCCESS) {
    failure = WriteOutcome::rejected("the ConnectWise ticket " + ticket_id + " has no board to read closed statuses from");
    return std::nullopt;
  }
  auto statuses = send(psa, t, "GET", "/service/boards/" + std::to_string(board) + "/statuses?pageSize=1000", "",
                       {"reading the board's statuses", "Service Desk › Service Tickets"});
  if (statuses.failure) {
    failure = std::move(statuses.failure);
    return std::nullopt;
  }
  simdjson::dom::parser status_parser;
  simdjson::dom::array list;
  if (status_parser.parse(statuses.response->body).get(list) == simdjson::SUCCESS) {
    for (simdjson::dom::element s : list) {
      bool closed = false, inactive = false;
      int64_t id = 0;
      if (s["closedStatus"].get(closed) != simdjson::SUCCESS || !closed) continue;
      if (s["inactive"].get(inactive) == simdjson::SUCCESS && inactive) continue;
      if (s["id"].get(id) == simdjson::SUCCESS) return id_reference(std::to_string(id));
    }
  }
  failure = WriteOutcome::rejected("the ConnectWise board " + std::to_string(board) +
                                   " has no closed status: add one, or map \"closed\" in the tenant's mappings.status");
  return std::nullopt;
}

bool already_closed(const http::ClientResponse& ticket) {
  simdjson::dom::parser parser;
  bool closed = false;
  return parser.parse(ticket.body)["closedFlag"].get(closed) == simdjson::SUCCESS && closed;
}

}  // namespace

WriteOutcome upsert_ticket(const Tenant& t, const TicketUpsert& cmd, PsaHttp& psa, WriteMemo& memo,
                           const MappingLookup& mappings) {
  std::optional<WriteOutcome> failure;
  const auto fields = fields_of(t, cmd, mappings, failure);
  if (!fields) return *failure;
  const auto existing = existing_ticket(psa, t, memo, cmd.external_ref, failure);
  if (failure) return *failure;
  return existing ? update(t, *existing, cmd, *fields, psa) : create(t, cmd, *fields, psa, memo);
}

WriteOutcome close_ticket(const Tenant& t, const TicketClose& cmd, PsaHttp& psa, WriteMemo& memo,
                          const MappingLookup& mappings) {
  std::optional<WriteOutcome> failure;
  const auto id = existing_ticket(psa, t, memo, cmd.external_ref, failure);
  if (failure) return *failure;
  if (!id) {
    return WriteOutcome::rejected("no ConnectWise ticket has externalXRef \"" + cmd.external_ref + "\" to close");
  }
  auto current = send(psa, t, "GET", "/service/tickets/" + *id + "?fields=id,closedFlag", "",
                      {"reading the ticket", kTicketsGrant});
  if (current.failure) return *current.failure;
  if (already_closed(*current.response)) return WriteOutcome::done(*id, false);  // a redelivery
  if (cmd.resolution && !cmd.resolution->empty()) {
    // Found again by its marker, so a redelivered close adds it once.
    auto noted = add_note(t, *id, "switchyard:resolution", *cmd.resolution, NoteKind::Resolution, psa);
    if (noted.kind != WriteOutcome::Kind::Done) return noted;
  }
  const auto status = closed_status(t, *id, psa, mappings, failure);
  if (!status) return *failure;
  JsonWriter w;
  w.begin_array().begin_object().field("op", "replace").field("path", "status");
  write_reference(w, "value", *status);
  w.end_object().end_array();
  auto call = send(psa, t, "PATCH", "/service/tickets/" + *id, w.take(), {"closing the ticket", kTicketsGrant});
  if (call.failure) return *call.failure;
  return WriteOutcome::done(*id, false);
}

}  // namespace switchyard::connectors::connectwise
