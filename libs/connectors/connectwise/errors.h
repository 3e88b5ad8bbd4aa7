// ConnectWise's error answers in words a partner can act on. A 400 names the fields and
// ConnectWise's codes for them, never the messages: those echo the values sent, which may be
// personal data (a contact's name in a ticket summary).
#pragma once

#include <string>
#include <string_view>

#include "connectors/connector.h"

namespace switchyard::connectors::connectwise {

// `what`: the operation, as a partner reads it ("creating the ticket"); `grant`: the security
// role item the operation needs ("Service Desk › Service Tickets"), named on a 403.
WriteOutcome outcome_of_error(const http::ClientResponse& response, std::string_view what, std::string_view grant);

// The plain-language reason alone (for errors outside a write).
std::string explain_error(const http::ClientResponse& response, std::string_view what, std::string_view grant);

}  // namespace switchyard::connectors::connectwise
