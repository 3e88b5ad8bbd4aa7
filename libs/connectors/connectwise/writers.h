// The ConnectWise writers, one per command type; execute() (connectwise_connector.cpp) picks one.
// Each is idempotent: it finds its record again (write memo, then a reference field) before it
// creates one, so a redelivered command never makes a second record.
#pragma once

#include "common/command.h"
#include "common/mappings.h"
#include "connectors/connector.h"

namespace switchyard::connectors::connectwise {

WriteOutcome upsert_ticket(const Tenant& t, const TicketUpsert& cmd, PsaHttp& psa, WriteMemo& memo,
                           const MappingLookup& mappings);
WriteOutcome close_ticket(const Tenant& t, const TicketClose& cmd, PsaHttp& psa, WriteMemo& memo,
                          const MappingLookup& mappings);
WriteOutcome add_billing_line(const Tenant& t, const BillingLineAdd& cmd, PsaHttp& psa, WriteMemo& memo);
WriteOutcome upsert_configuration(const Tenant& t, const ConfigurationUpsert& cmd, PsaHttp& psa, WriteMemo& memo,
                                  const MappingLookup& mappings);

}  // namespace switchyard::connectors::connectwise
