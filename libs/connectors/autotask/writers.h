// One function per command type (execute() in writer.cpp picks one). Internal to the Autotask
// connector; every one is idempotent: it looks up what an earlier delivery made before it writes.
#pragma once

#include "connectors/connector.h"

namespace switchyard::connectors::autotask {

// `mappings`: the tenant's over the connector's defaults.
WriteOutcome upsert_ticket(const Tenant& t, const TicketUpsert& cmd, PsaHttp& psa, WriteMemo& memo,
                           const MappingLookup& mappings);
WriteOutcome close_ticket(const Tenant& t, const TicketClose& cmd, PsaHttp& psa, WriteMemo& memo,
                          const MappingLookup& mappings);
WriteOutcome add_billing_line(const Tenant& t, const BillingLineAdd& cmd, PsaHttp& psa, WriteMemo& memo);
WriteOutcome add_ticket_note(const Tenant& t, const TicketNoteAdd& cmd, PsaHttp& psa, WriteMemo& memo);
WriteOutcome upsert_configuration(const Tenant& t, const ConfigurationUpsert& cmd, PsaHttp& psa, WriteMemo& memo,
                                  const MappingLookup& mappings);

}  // namespace switchyard::connectors::autotask
