// What the sandbox checks and does beyond storing a HaloPSA write (docs/psa/halopsa.md,
// "Sandbox"): a ticket needs a summary and a known client, a new asset a known client and an
// asset type; an action needs a known ticket and
// its new_status changes the ticket (closing it at the stock closed status); a recurring
// invoice line needs a known invoice (ihid). The spec states none of these rules; they are
// the sandbox's, so a connector meets refusals in tests.
#pragma once

#include <optional>

#include "common/http_types.h"
#include "psa-sandbox/halopsa/halo_model.h"
#include "psa-sandbox/json_value.h"
#include "psa-sandbox/store.h"

namespace switchyard::sandbox::halopsa {

// Halo's stock closed status (docs/psa/halopsa.md).
inline constexpr int64_t kClosedStatus = 9;

// The refusal of `record` (an item of a POST array), or nullopt; may fill defaults in `record`
// when it creates one.
std::optional<http::Response> check_write(const HaloResource& resource, Value& record, bool creates, Store& store);

// What a written record does to others (an action's new_status to its ticket).
void after_write(const HaloResource& resource, const Value& record, Store& store);

// A record as GET /{Resource}/{id} answers it: a recurring invoice with includedetails=true
// carries its lines.
Value with_details(const HaloResource& resource, const Value& record, bool include_details, Store& store);

}  // namespace switchyard::sandbox::halopsa
