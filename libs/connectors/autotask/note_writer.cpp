// ticket.note → an Autotask TicketNote on the ticket made for external_ref. TicketNotes have no
// externalID, so the note's text ends with a marker naming note_ref; before adding, the ticket's
// notes are queried for it (description contains the marker), so a redelivered note is found,
// not added twice. docs/psa/autotask.md says why the text and not another field.
#include <simdjson.h>

#include "common/json_read.h"
#include "common/json_writer.h"
#include "common/text.h"
#include "connectors/autotask/autotask_connector.h"
#include "connectors/autotask/write_calls.h"
#include "connectors/autotask/writers.h"
#include "connectors/note_marker.h"

namespace switchyard::connectors::autotask {
namespace {

constexpr size_t kTitleBytes = 250;  // TicketNotes.title

// The note's title: its first line, bounded (Autotask may require a title, per ticket category).
std::string title_of(std::string_view text) {
  std::string_view first = text.substr(0, text.find('\n'));
  while (!first.empty() && (first.back() == '\r' || first.back() == ' ')) first.remove_suffix(1);
  if (first.empty()) return "Note";
  return utf8_prefix(first, kTitleBytes);
}

// The note already on `ticket_id` whose text carries `marker`. The query's "contains" narrows
// the search; the text is then compared here, so however the PSA treats characters such as '_'
// in a contains filter, only a note with this exact marker counts.
std::optional<std::string> find_note(PsaHttp& psa, const Tenant& t, const std::string& ticket_id,
                                     const std::string& marker, std::optional<WriteOutcome>& failure) {
  JsonWriter q;
  q.begin_object().field("MaxRecords", 500);
  q.key("IncludeFields").begin_array().value("id").value("description").end_array();
  q.key("Filter").begin_array();
  q.begin_object().field("op", "eq").field("field", "ticketID").field("value", ticket_id).end_object();
  q.begin_object().field("op", "contains").field("field", "description").field("value", marker).end_object();
  q.end_array().end_object();
  auto call = send(psa, t, "POST", "/V1.0/TicketNotes/query", q.take());
  if (call.failure) {
    failure = std::move(call.failure);
    return std::nullopt;
  }
  simdjson::dom::parser parser;
  simdjson::dom::array items;
  if (parser.parse(call.response->body)["items"].get(items) != simdjson::SUCCESS) {
    failure = WriteOutcome::retryable("autotask TicketNotes query: no items array");
    return std::nullopt;
  }
  for (simdjson::dom::element item : items) {
    std::string_view description;
    simdjson::dom::element id;
    if (item["description"].get(description) != simdjson::SUCCESS || item["id"].get(id) != simdjson::SUCCESS) continue;
    if (description.find(marker) == std::string_view::npos) continue;
    if (auto text = json::id_string(id, "items[].id")) return *text;
  }
  return std::nullopt;
}

}  // namespace

WriteOutcome add_ticket_note(const Tenant& t, const TicketNoteAdd& cmd, PsaHttp& psa, WriteMemo& memo) {
  // The memo key holds both refs; the length prefix keeps ("a:b", "c") apart from ("a", "b:c").
  const std::string memo_ref = std::to_string(cmd.external_ref.size()) + ":" + cmd.external_ref + ":" + cmd.note_ref;
  if (auto id = memo.lookup(t, "ticket_note", memo_ref)) return WriteOutcome::done(*id, false);
  std::optional<WriteOutcome> failure;
  const auto ticket = existing_ticket(psa, t, memo, cmd.external_ref, failure);
  if (failure) return *failure;
  if (!ticket) {
    return WriteOutcome::rejected("no autotask ticket has externalID \"" + cmd.external_ref + "\" to add the note \"" +
                                  cmd.note_ref + "\" to");
  }
  const std::string marker = note_marker(cmd.note_ref);
  if (auto found = find_note(psa, t, *ticket, marker, failure)) {
    memo.remember(t, "ticket_note", memo_ref, *found);
    WriteOutcome outcome = WriteOutcome::done(*found, false);
    outcome.parent_psa_id = *ticket;
    return outcome;
  }
  if (failure) return *failure;

  const bool internal = cmd.visibility == TicketNoteAdd::Visibility::Internal;
  JsonWriter w;
  w.begin_object();
  write_id(w, "ticketID", *ticket);
  w.field("title", title_of(cmd.text));
  w.field("description", cmd.text + "\n\n" + marker);
  write_id(w, "noteType", option_or(t, "note_type", "1"));
  write_id(w, "publish", internal ? option_or(t, "note_publish_internal", "2") : option_or(t, "note_publish_public", "1"));
  w.end_object();
  auto call = send(psa, t, "POST", "/V1.0/Tickets/" + http::url_encode(*ticket) + "/Notes", w.take());
  if (call.failure) return *call.failure;
  auto id = item_id_of(*call.response);
  if (!id) return WriteOutcome::retryable(id.error().message, call.response->status);
  memo.remember(t, "ticket_note", memo_ref, *id);
  WriteOutcome outcome = WriteOutcome::done(*id, true);
  outcome.parent_psa_id = *ticket;
  return outcome;
}

}  // namespace switchyard::connectors::autotask
