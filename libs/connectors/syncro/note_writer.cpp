// ticket.note → a comment on the Syncro ticket (POST /tickets/{id}/comment). Comments have no
// reference field, so the comment ends with the note's marker (connectors/note_marker.h) and
// the ticket's comments are read for it first: a redelivered note is added once.
#include <simdjson.h>

#include "common/json_writer.h"
#include "connectors/marked_item.h"
#include "connectors/note_marker.h"
#include "connectors/syncro/write_calls.h"
#include "connectors/syncro/writers.h"

namespace switchyard::connectors::syncro {
namespace {

constexpr std::string_view kEdit = "Tickets - Edit";

// The id of the ticket's comment whose body ends with `marker`, from GET /tickets/{id}.
std::optional<std::string> marked_comment(const http::ClientResponse& ticket, std::string_view marker) {
  simdjson::dom::parser parser;
  simdjson::dom::array comments;
  if (parser.parse(ticket.body)["ticket"]["comments"].get(comments) != simdjson::SUCCESS) return std::nullopt;
  return id_of_marked_item(comments, "body", marker);
}

}  // namespace

WriteOutcome add_ticket_note(const Tenant& t, const TicketNoteAdd& cmd, PsaHttp& psa, WriteMemo& memo) {
  std::optional<WriteOutcome> failure;
  const auto ticket = existing_ticket(psa, t, memo, cmd.external_ref, failure);
  if (failure) return *failure;
  if (!ticket) {
    std::string detail = "no Syncro ticket carries the tag \"";
    detail.append(reference_tag(cmd.external_ref)).append("\" to add the note \"").append(cmd.note_ref).append("\" to");
    return WriteOutcome::rejected(std::move(detail));
  }
  std::string path = "tickets/";
  path.append(*ticket);
  const std::string marker = note_marker(cmd.note_ref);
  auto current = send(psa, t, "GET", path, "", "looking for the note", "Tickets - View Details");
  if (current.failure) return *current.failure;
  WriteOutcome outcome;
  if (auto found = marked_comment(*current.response, marker)) {
    outcome = WriteOutcome::done(*found, false);
  } else {
    std::string body = cmd.text;
    body.append("\n\n").append(marker);
    JsonWriter w;
    // Syncro requires a subject; "hidden" keeps an internal note from the customer.
    w.begin_object()
        .field("subject", "Update")
        .field("body", body)
        .field("hidden", cmd.visibility == TicketNoteAdd::Visibility::Internal)
        .field("do_not_email", cmd.visibility == TicketNoteAdd::Visibility::Internal)
        .end_object();
    path.append("/comment");
    auto call = send(psa, t, "POST", path, w.take(), "adding the note", kEdit);
    if (call.failure) return *call.failure;
    const auto id = member_id_of(*call.response, "comment");
    if (!id) return WriteOutcome::retryable("Syncro added a comment but its answer has no id");
    outcome = WriteOutcome::done(*id, true);
  }
  outcome.parent_psa_id = *ticket;
  return outcome;
}

}  // namespace switchyard::connectors::syncro
