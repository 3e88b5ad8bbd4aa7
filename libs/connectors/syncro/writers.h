// The Syncro writers, one per command type; execute() (syncro_connector.cpp) picks one. Each is
// idempotent: it finds its ticket again (the write memo, then the reference tag the ticket
// carries) before it creates one, so a redelivered command never makes a second record.
#pragma once

#include "common/command.h"
#include "common/mappings.h"
#include "connectors/connector.h"

namespace switchyard::connectors::syncro {

WriteOutcome upsert_ticket(const Tenant& t, const TicketUpsert& cmd, PsaHttp& psa, WriteMemo& memo,
                           const MappingLookup& mappings);
WriteOutcome close_ticket(const Tenant& t, const TicketClose& cmd, PsaHttp& psa, WriteMemo& memo);
WriteOutcome add_ticket_note(const Tenant& t, const TicketNoteAdd& cmd, PsaHttp& psa, WriteMemo& memo);
WriteOutcome add_billing_line(const Tenant& t, const BillingLineAdd& cmd, PsaHttp& psa, WriteMemo& memo);

}  // namespace switchyard::connectors::syncro
