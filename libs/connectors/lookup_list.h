// The set-up lists a vendor's wizard reads through Connector::lookup (GET
// /v1/tenants/{tenant}/psa/{list}): their names, the aliases a PSA's own words give them
// ("queues" are Autotask's boards, "contracts" its agreements), the ids a filter may carry, and
// the page loop most PSAs' numbered pages share.
#pragma once

#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "common/http_client.h"
#include "connectors/connector.h"

namespace switchyard::connectors {

// Every name the route accepts, aliases included, for the "unknown list" message.
std::span<const std::string_view> lookup_list_names();
// The name a connector sees ("queues" → "boards", "contracts" → "agreements"); nullopt when unknown.
std::optional<std::string> canonical_lookup_list(std::string_view name);
// A board or company id as a filter: 1 to 64 ASCII letters, digits, '-' or '_' (every PSA's ids
// fit; anything else is refused before it reaches a PSA's query string).
bool valid_lookup_id(std::string_view id);

// Reads numbered pages (1, 2, ...) through `read_page`, which appends a page's items and answers
// how many the page held. Stops after a page shorter than `page_size`, or once more than
// kLookupCap items are in (the caller's sign that the list was cut short).
Result<std::vector<LookupItem>> read_numbered_pages(int page_size,
                                                   const std::function<Result<size_t>(int page, std::vector<LookupItem>&)>& read_page);

// One call reading a list's page (a GET, or a POST of a query): the body of a 2xx answer, else an error the route can classify:
// "throttled" (a 429, or the tenant's limiter said wait), "credentials_refused" (401),
// "forbidden" (403: the API user lacks a permission), "psa_error" (any other status), or
// the transport's own. `psa`: the display name, for the message.
Result<std::string> lookup_call(PsaHttp& http, http::ClientRequest request, std::string_view psa);

// A record's "id" (a number or a string) as text; nullopt when it has none.
std::optional<std::string> lookup_id(simdjson::dom::element record, std::string_view key = "id");
// A record's text field; "" when absent, null or not a string.
std::string lookup_text(simdjson::dom::element record, std::string_view key);

}  // namespace switchyard::connectors
