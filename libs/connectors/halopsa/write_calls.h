// The calls every HaloPSA writer makes: one request whose error answer becomes the outcome in
// plain language, the id of the record a POST wrote, and finding a command's ticket again.
#pragma once

#include <optional>
#include <string>

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

}  // namespace switchyard::connectors::halopsa
