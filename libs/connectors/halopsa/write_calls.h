// The calls every HaloPSA writer makes: one request whose error answer becomes the outcome in
// plain language, the id of the record a POST wrote, and finding a command's ticket again.
#pragma once

#include <optional>
#include <string>

#include "common/field_choice.h"
#include "common/mappings.h"
#include "connectors/connector.h"

namespace switchyard::connectors::halopsa {

struct Call {
  std::optional<http::ClientResponse> response;  // a 2xx answer
  std::optional<WriteOutcome> failure;            // otherwise what to report
};

// `path` below <base_url>/api/ ("Tickets"); `what` and `permission` word an error answer.
Call send(PsaHttp& psa, const Tenant& t, std::string method, std::string_view path, std::string body,
          std::string_view what, std::string_view permission);

// The id of the record a POST wrote. The spec declares no answer body ("200 Success"), so
// both an object {"id": N, ...} and an array [{"id": N, ...}] are read.
std::optional<std::string> written_id(const http::ClientResponse& answer);

// What a ticket made for `external_ref` carries in supplier_reference: "sy-ref:<external_ref>".
std::string reference_of(std::string_view external_ref);

// The ticket stamped for `ref`: the memo, else GET /Tickets?search_supplier_reference= whose
// hits must carry the reference exactly (the spec says the search "matches", not equals).
// nullopt with `failure` unset when there is none.
std::optional<std::string> existing_ticket(PsaHttp& psa, const Tenant& t, WriteMemo& memo, const std::string& ref,
                                           std::optional<WriteOutcome>& failure);

// The Halo id a command names, as a JSON number ("12" → 12); nullopt when not a Halo id.
std::optional<int64_t> halo_id(std::string_view id);

// A choice as the id Halo takes: an id as sent, a canonical value through `kind`'s mappings
// (the tenant's over the connector's defaults); a label, an unmapped value or a mapped value
// that is not an id sets `failure` (in plain language, naming payload.<field>).
std::optional<int64_t> choice_id(const std::optional<FieldChoice>& choice, std::string_view kind,
                                 const MappingLookup& mappings, std::optional<WriteOutcome>& failure);

}  // namespace switchyard::connectors::halopsa
