#include "connectors/connectwise/note_writer.h"

#include "common/json_writer.h"
#include "connectors/connectwise/write_calls.h"
#include "connectors/note_marker.h"

namespace switchyard::connectors::connectwise {

WriteOutcome add_note(const Tenant& t, const std::string& ticket_id, const std::string& note_ref,
                      const std::string& text, NoteKind kind, PsaHttp& psa) {
  const std::string marker = note_marker(note_ref);
  std::optional<WriteOutcome> failure;
  if (auto found = find_marked(psa, t, "/service/tickets/" + ticket_id + "/notes", "text", marker,
                               {"looking for the note", kTicketsGrant}, failure)) {
    return WriteOutcome::done(*found, false);
  }
  if (failure) return *failure;
  // ConnectWise files a note as exactly one of: the discussion (the customer sees it), internal
  // analysis, or the resolution.
  JsonWriter w;
  w.begin_object()
      .field("text", text + "\n\n" + marker)
      .field("detailDescriptionFlag", kind == NoteKind::Public)
      .field("internalAnalysisFlag", kind == NoteKind::Internal)
      .field("resolutionFlag", kind == NoteKind::Resolution)
      .end_object();
  auto call = send(psa, t, "POST", "/service/tickets/" + ticket_id + "/notes", w.take(),
                   {"adding the note", kTicketsGrant});
  if (call.failure) return *call.failure;
  const auto id = id_of(*call.response);
  if (!id) return WriteOutcome::retryable("ConnectWise added a note but its answer has no id");
  return WriteOutcome::done(*id, true);
}

WriteOutcome add_ticket_note(const Tenant& t, const TicketNoteAdd& cmd, PsaHttp& psa, WriteMemo& memo) {
  std::optional<WriteOutcome> failure;
  const auto ticket = existing_ticket(psa, t, memo, cmd.external_ref, failure);
  if (failure) return *failure;
  if (!ticket) {
    return WriteOutcome::rejected("no ConnectWise ticket has externalXRef \"" + cmd.external_ref +
                                  "\" to add the note \"" + cmd.note_ref + "\" to");
  }
  const NoteKind kind =
      cmd.visibility == TicketNoteAdd::Visibility::Public ? NoteKind::Public : NoteKind::Internal;
  WriteOutcome outcome = add_note(t, *ticket, cmd.note_ref, cmd.text, kind, psa);
  if (outcome.kind == WriteOutcome::Kind::Done) outcome.parent_psa_id = *ticket;
  return outcome;
}

}  // namespace switchyard::connectors::connectwise
