// The calls every Syncro writer makes: one request whose error answer becomes the outcome in
// plain language, and finding the ticket a command made again.
#pragma once

#include <optional>
#include <string>

#include "connectors/connector.h"

namespace switchyard::connectors::syncro {

struct Call {
  std::optional<http::ClientResponse> response;  // a 2xx answer
  std::optional<WriteOutcome> failure;            // otherwise what to report
};

// `path` below base_url ("tickets/12"); `what` and `permission` word an error answer.
Call send(PsaHttp& psa, const Tenant& t, std::string method, std::string_view path, std::string body,
          std::string_view what, std::string_view permission);

// {"<member>": {"id": N}} → "N".
std::optional<std::string> member_id_of(const http::ClientResponse& answer, std::string_view member);
inline std::optional<std::string> ticket_id_of(const http::ClientResponse& answer) {
  return member_id_of(answer, "ticket");
}

// The tag a ticket made for `external_ref` carries in its tag_list: "sy-ref:<external_ref>".
std::string reference_tag(std::string_view external_ref);

// The ticket tagged for `ref`: the memo, else a search (GET /tickets?query=) whose hits must
// carry the tag exactly, since a free-text search may match more than the tag. nullopt with
// `failure` unset when there is none.
std::optional<std::string> existing_ticket(PsaHttp& psa, const Tenant& t, WriteMemo& memo, const std::string& ref,
                                           std::optional<WriteOutcome>& failure);

}  // namespace switchyard::connectors::syncro
