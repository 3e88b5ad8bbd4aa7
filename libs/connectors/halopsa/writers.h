// The HaloPSA writers, one per command type; execute() (halopsa_connector.cpp) picks one. Each
// is idempotent: it finds its record again (the write memo, then the reference the record
// carries) before it creates one, so a redelivered command never makes a second record.
#pragma once

#include "common/command.h"
#include "common/mappings.h"
#include "connectors/connector.h"

namespace switchyard::connectors::halopsa {

WriteOutcome upsert_ticket(const Tenant& t, const TicketUpsert& cmd, PsaHttp& psa, WriteMemo& memo,
                           const MappingLookup& mappings);
WriteOutcome close_ticket(const Tenant& t, const TicketClose& cmd, PsaHttp& psa, WriteMemo& memo);
WriteOutcome add_ticket_note(const Tenant& t, const TicketNoteAdd& cmd, PsaHttp& psa, WriteMemo& memo);
WriteOutcome add_billing_line(const Tenant& t, const BillingLineAdd& cmd, PsaHttp& psa, WriteMemo& memo);
WriteOutcome upsert_configuration(const Tenant& t, const ConfigurationUpsert& cmd, PsaHttp& psa, WriteMemo& memo,
                                  const MappingLookup& mappings);

// The tenant's closed status id (options.closed_status_id, else Halo's stock 9); nullopt when
// the option is not an id.
std::optional<int64_t> closed_status_id(const Tenant& t);

}  // namespace switchyard::connectors::halopsa
