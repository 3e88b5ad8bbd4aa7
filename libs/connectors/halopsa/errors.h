// HaloPSA's error answers in words a partner can act on. Halo documents no fixed error body
// (plain text or an object with a message), and a message may echo the values sent (personal
// data), so only the status is explained, never the body.
#pragma once

#include <string>
#include <string_view>

#include "connectors/connector.h"

namespace switchyard::connectors::halopsa {

// `what`: the operation, as a partner reads it ("reading tickets"); `permission`: the API
// application's permission the operation needs ("Tickets: read"), named on a 403.
std::string explain_error(const http::ClientResponse& response, std::string_view what, std::string_view permission);

// For a write: 401, 429 and 5xx retryable (429 with its Retry-After), the rest rejected.
WriteOutcome outcome_of_error(const http::ClientResponse& response, std::string_view what, std::string_view permission);

}  // namespace switchyard::connectors::halopsa
