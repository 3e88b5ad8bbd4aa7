// Turns connector Changes into envelopes: one place derives the idempotency key, so webhook
// and poll copies of one change agree.
#pragma once

#include <string_view>
#include <vector>

#include "common/envelope.h"
#include "common/tenants.h"
#include "connectors/connector.h"

namespace switchyard::ingest {

// `resync_id`: set for source "resync"; it becomes part of the keys' version. `trace_id`: the
// trace every envelope joins (a webhook's); empty gives each change a trace of its own (a poll).
std::vector<Envelope> to_envelopes(const Tenant& tenant, std::vector<connectors::Change>&& changes,
                                   std::string_view source, std::string_view resync_id = {},
                                   std::string_view trace_id = {});

}  // namespace switchyard::ingest
