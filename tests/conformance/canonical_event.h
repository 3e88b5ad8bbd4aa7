// An envelope mapped the way normalize maps it: the connector's to_canonical with the
// tenant's mappings, wrapped in the canonical event that goes to switchyard.canonical.v1.
#pragma once

#include <simdjson.h>

#include <string>

#include "common/envelope.h"
#include "common/result.h"
#include "common/tenants.h"
#include "connectors/connector.h"

namespace switchyard::conformance {

// The canonical event JSON, or the connector's mapping error.
Result<std::string> canonical_event_json(const connectors::Connector& connector, const Tenant& tenant,
                                         const Envelope& envelope, simdjson::dom::parser& parser);

// An envelope for a record as a poll of `tenant` publishes it.
Envelope polled_envelope(const Tenant& tenant, std::string entity, std::string entity_id, std::string body);

}  // namespace switchyard::conformance
