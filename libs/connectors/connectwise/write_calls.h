// The calls every ConnectWise write makes: one request with the tenant's headers, its error
// turned into a WriteOutcome in plain words (errors.h), a lookup by conditions, and finding a
// record again through the write memo or a reference field before anything is created.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "connectors/connectwise/connectwise_connector.h"

namespace switchyard::connectors::connectwise {

// What a write needs to explain itself: the operation and the security-role item it needs.
struct WriteContext {
  std::string_view what;   // "creating the ticket"
  std::string_view grant;  // "Service Desk › Service Tickets"
};

struct Call {
  std::optional<http::ClientResponse> response;  // set when ConnectWise answered 2xx
  std::optional<WriteOutcome> failure;
};

// `path` below base_url ("/service/tickets"); `body` JSON (sent with Content-Type) or empty.
Call send(PsaHttp& psa, const Tenant& t, std::string method, const std::string& path, std::string body,
          const WriteContext& context);

// A double-quoted conditions literal (quotes and backslashes escaped).
std::string condition_string(std::string_view value);

// The id of the first record of `path` matching `conditions` (nullopt: none); `failure` is set
// when ConnectWise could not say.
std::optional<std::string> find_id(PsaHttp& psa, const Tenant& t, const std::string& path,
                                   const std::string& conditions, const WriteContext& context,
                                   std::optional<WriteOutcome>& failure);

// The id of the record of `path` whose `field` carries `marker` (a note's text, an addition's
// description): "contains" narrows the search, then the text is compared here, so only this
// exact marker counts whatever ConnectWise makes of wildcard characters in it.
std::optional<std::string> find_marked(PsaHttp& psa, const Tenant& t, const std::string& path, std::string_view field,
                                       const std::string& marker, const WriteContext& context,
                                       std::optional<WriteOutcome>& failure);

// The id of the answered record ({"id": 123, ...}); nullopt when it has none.
std::optional<std::string> id_of(const http::ClientResponse& response);

// The ticket made for `external_ref`: the memo's, else the one whose externalXRef is it.
std::optional<std::string> existing_ticket(PsaHttp& psa, const Tenant& t, WriteMemo& memo, const std::string& ref,
                                           std::optional<WriteOutcome>& failure);

inline constexpr std::string_view kTicketsGrant = "Service Desk › Service Tickets";

}  // namespace switchyard::connectors::connectwise
