// Notes on ConnectWise tickets (service/tickets/{id}/notes), added once per note_ref: the
// note's text ends with a marker naming it, and the ticket's notes are searched for the marker
// before one is added, so a redelivered note (or a close's resolution) is found, not doubled.
#pragma once

#include <string>

#include "connectors/connector.h"

namespace switchyard::connectors::connectwise {

enum class NoteKind { Internal, Public, Resolution };

// Adds `text` (with the marker of `note_ref`) to ticket `ticket_id` unless a note with that
// marker is already there; done() names the note either way.
WriteOutcome add_note(const Tenant& t, const std::string& ticket_id, const std::string& note_ref,
                      const std::string& text, NoteKind kind, PsaHttp& psa);

// ticket.note: the note on the ticket of external_ref.
WriteOutcome add_ticket_note(const Tenant& t, const TicketNoteAdd& cmd, PsaHttp& psa, WriteMemo& memo);

}  // namespace switchyard::connectors::connectwise
