#include "connectors/connectwise/note_writer.h"

#include <simdjson.h>

#include "common/json_read.h"
#include "common/json_writer.h"
#include "connectors/connectwise/write_calls.h"
#include "connectors/note_marker.h"

namespace switchyard::connectors::connectwise {
namespace {

// The note on `ticket_id` whose text carries `marker`: "contains" narrows the search, and the
// text is compared here, so only this exact marker counts.
std::optional<std::string> find_note(PsaHttp& psa, const Tenant& t, const std::string& ticket_id,
                                     const std::string& marker, std::optional<WriteOutcome>& failure) {
  auto call = send(psa, t, "GET",
                   "/service/tickets/" + ticket_id + "/notes?fields=id,text&pageSize=1000&conditions=" +
                       http::url_encode("text contains " + condition_string(marker)),
                   "", {"looking for the note", kTicketsGrant});
  if (call.failure) {
    failure = std::move(call.failure);
    return std::nullopt;
  }
  simdjson::dom::parser parser;
  simdjson::dom::array list;
  if (parser.parse(call.response->body).get(list) != simdjson::SUCCESS) {
    failure = WriteOutcome::retryable("ConnectWise's notes answer is not a list");
    return std::nullopt;
  }
  for (simdjson::dom::element note : list) {
    std::string_view text;
    simdjson::dom::element id;
    if (note["text"].get(text) != simdjson::SUCCESS || text.find(marker) == std::string_view::npos) continue;
    if (note["id"].get(id) != simdjson::SUCCESS) continue;
    if (auto found = json::id_string(id, "id")) return *found;
  }
  return std::nullopt;
}

}  // namespace

WriteOutcome add_note(const Tenant& t, const std::string& ticket_id, const std::string& note_ref,
                      const std::string& text, NoteKind kind, PsaHttp& psa) {
  const std::string marker = note_marker(note_ref);
  std::optional<WriteOutcome> failure;
  if (auto found = find_note(psa, t, ticket_id, marker, failure)) return WriteOutcome::done(*found, false);
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
  return add_note(t, *ticket, cmd.note_ref, cmd.text, kind, psa);
}

}  // namespace switchyard::connectors::connectwise
