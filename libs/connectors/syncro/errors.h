// Syncro's error answers in words a partner can act on. Syncro's error bodies ({"error": ...}
// or {"success": false, "message": [...]}) may echo the values sent (personal data), so only
// the status is explained, never the body.
#pragma once

#include <string>
#include <string_view>

#include "connectors/connector.h"

namespace switchyard::connectors::syncro {

// `what`: the operation, as a partner reads it ("reading tickets"); `permission`: the token's
// permission the operation needs ("Tickets - List/Search"), named on a 401 or 403.
std::string explain_error(const http::ClientResponse& response, std::string_view what, std::string_view permission);

// For a write: 429 and 5xx retryable (429 with its Retry-After), the rest rejected.
WriteOutcome outcome_of_error(const http::ClientResponse& response, std::string_view what, std::string_view permission);

}  // namespace switchyard::connectors::syncro
