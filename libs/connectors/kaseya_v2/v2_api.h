// The v2 API that Kaseya BMS and Pulseway PSA share (docs/psa/kaseya-bms.md, docs/psa/pulseway.md):
// paths below <base_url>/v2/, bearer tokens from /v2/security/authenticate, PascalCase records in
// the envelope {"Success", "Error": {"Code", "Message"}, "Result", "TotalRecords"} (failures may
// come inside an HTTP 200), PageNumber/PageSize paging, and 1,500 calls an hour per endpoint.
// The two connectors differ only in their Flavor (names and where a partner fixes things).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "connectors/connector.h"

namespace switchyard::connectors::kaseya_v2 {

// What differs between the PSAs on the v2 API, for messages to partners.
struct Flavor {
  std::string_view psa;      // connector name: "kaseya_bms"
  std::string_view product;  // "Kaseya BMS"
  // Where the API user's access is granted ("Admin > Security > Roles").
  std::string_view roles_screen;
  // Where the API user is made, for refused credentials.
  std::string_view credentials_advice;
};

// A canonical type's v2 list and how its delta is read.
struct Resource {
  std::string_view canonical;     // "ticket"
  std::string_view list_path;     // below <base_url>/v2/: "servicedesk/tickets"
  std::string_view since_filter;  // "Filter.LastActivityUpdateFrom"; "" = the list has no change filter
  std::string_view change_field;  // "LastActivityUpdate"; "" = the record has no change time
  std::string_view one_path;      // "servicedesk/tickets" (+ "/{id}"); "" = not read by id
  std::string_view label;         // "tickets", for messages
  std::string_view permission;    // the role's area, as the PSA's screen names it
};
const Resource* resource_of(std::string_view canonical_type);

// <base_url>/v2/<path>.
std::string api_url(const Tenant& tenant, std::string_view path);

// One v2 answer, read: the envelope's Result (and TotalRecords) on success, else in words a
// partner can act on. Never echoes the body (it may hold personal data).
struct Answer {
  bool ok = false;
  simdjson::dom::element result{};       // ok: the envelope's Result
  std::optional<int64_t> total{};        // TotalRecords, when sent
  int status = 0;                        // HTTP status
  int code = 0;                          // Error.Code inside a 200, else the HTTP status
  std::string detail{};                  // !ok: plain language
  bool retryable = false;                // !ok: 429, 5xx or an envelope code of that kind
  std::chrono::milliseconds retry_after{0};
};
// `what`: the operation ("reading tickets"); `permission`: the area the role needs.
Answer read_answer(simdjson::dom::parser& parser, const http::ClientResponse& response, const Flavor& flavor,
                   std::string_view what, std::string_view permission);

// A failed Answer as a write outcome.
WriteOutcome outcome_of(const Answer& answer);

// A record's version: its change time (change_field, else ModifiedOn) as RFC 3339 UTC, or, for
// records the list gives no time for, "sha256:" and a digest of the record (idempotency.h).
std::string version_of(const Resource& resource, simdjson::dom::object record, std::string_view raw);

// Maps one v2 record (the JSON object of `canonical_type`) to canonical v1.1. `fallback_time`
// stands in as updated_at for records without a change time (contacts, contracts, assets in
// their lists): the time the change was received.
Result<canonical::Record> map_record(std::string_view psa, std::string_view tenant_id, std::string_view canonical_type,
                                     simdjson::dom::object record, const MappingLookup& mappings = {},
                                     std::string_view fallback_time = {});

}  // namespace switchyard::connectors::kaseya_v2
