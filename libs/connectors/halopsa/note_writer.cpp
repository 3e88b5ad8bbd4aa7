// ticket.note → an Action on the HaloPSA ticket (POST /Actions with a JSON array). Actions have
// no field of ours to search by, so the note ends with the note's marker
// (connectors/note_marker.h) and the ticket's actions (GET /Actions?ticket_id=) are read for it
// first: a redelivered note is added once. hiddenfromuser keeps an internal note from the
// customer; no e-mail is sent either way.
#include <simdjson.h>

#include "common/json_writer.h"
#include "connectors/halopsa/write_calls.h"
#include "connectors/halopsa/writers.h"
#include "connectors/marked_item.h"
#include "connectors/note_marker.h"
#include "connectors/write_values.h"

namespace switchyard::connectors::halopsa {
namespace {

constexpr size_t kMaxActionsAnswer = 16 * 1024 * 1024;  // a ticket's whole history, bounded

// The id of the ticket's action whose note ends with `marker`.
std::optional<std::string> marked_action(const http::ClientResponse& answer, std::string_view marker) {
  simdjson::dom::parser parser;
  simdjson::dom::array actions;
  if (answer.body.size() > kMaxActionsAnswer ||
      parser.parse(answer.body)["actions"].get(actions) != simdjson::SUCCESS) {
    return std::nullopt;
  }
  return id_of_marked_item(actions, "note", marker);
}

}  // namespace

WriteOutcome add_ticket_note(const Tenant& t, const TicketNoteAdd& cmd, PsaHttp& psa, WriteMemo& memo) {
  std::optional<WriteOutcome> failure;
  const auto ticket = existing_ticket(psa, t, memo, cmd.external_ref, failure);
  if (failure) return *failure;
  if (!ticket) {
    std::string detail = "no HaloPSA ticket carries the supplier reference \"";
    detail.append(reference_of(cmd.external_ref)).append("\" to add the note \"").append(cmd.note_ref).append("\" to");
    return WriteOutcome::rejected(std::move(detail));
  }
  const auto ticket_id = halo_id(*ticket);
  if (!ticket_id) return WriteOutcome::rejected("the write memo holds a ticket id HaloPSA cannot take");
  const std::string marker = note_marker(cmd.note_ref);
  std::string path = "Actions?ticket_id=";
  path.append(*ticket);
  auto current = send(psa, t, "GET", path, "", "looking for the note", "Actions (read)");
  if (current.failure) return *current.failure;
  WriteOutcome outcome;
  if (auto found = marked_action(*current.response, marker)) {
    outcome = WriteOutcome::done(*found, false);
  } else {
    const bool internal = cmd.visibility == TicketNoteAdd::Visibility::Internal;
    std::string note = cmd.text;
    note.append("\n\n").append(marker);
    JsonWriter w;
    w.begin_array().begin_object()
        .field("ticket_id", *ticket_id)
        .field("outcome", option_or(t, "note_outcome", "Note"))
        .field("note", note)
        .field("hiddenfromuser", internal)
        .field("sendemail", false)
        .end_object().end_array();
    auto call = send(psa, t, "POST", "Actions", w.take(), "adding the note", "Actions (edit)");
    if (call.failure) return *call.failure;
    const auto id = written_id(*call.response);
    if (!id) return WriteOutcome::retryable("HaloPSA added an action but its answer has no id");
    outcome = WriteOutcome::done(*id, true);
  }
  outcome.parent_psa_id = *ticket;
  return outcome;
}

}  // namespace switchyard::connectors::halopsa
