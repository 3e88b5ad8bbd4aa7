// The endpoint family of a PSA request: its path below the tenant's base URL with the record ids
// left out, so "GET /v2/servicedesk/tickets/4711/notes" and ".../tickets/4712/notes" spend one
// budget. For PSAs that count their limit per endpoint (ConnectorBudgets::per_endpoint_family).
#pragma once

#include <string>
#include <string_view>

namespace switchyard::connectors {

// "v2/servicedesk/tickets/{id}/notes" for base ".../api" and URL ".../api/v2/servicedesk/tickets/
// 4711/notes?x=1". A segment is an id when it is all digits or a GUID. Bounded to 160 bytes, so
// the limiter's keys stay few and short whatever URL a connector builds.
std::string endpoint_family(std::string_view base_url, std::string_view url);

}  // namespace switchyard::connectors
