// Autotask's error answers in words a partner can act on (docs/psa/autotask.md, FAQ). Autotask
// answers some authentication failures with HTTP 500 (an unknown user name, a wrong integration
// code) and validation failures with 500 and an {"errors": [...]} list, so the status alone says
// little: the messages are read, and only the fields they name are kept, never the values they
// echo (they may be personal data).
#pragma once

#include <string>
#include <string_view>

#include "connectors/connector.h"

namespace switchyard::connectors::autotask {

// What an error answer means.
enum class ErrorKind {
  BadSecret,         // 401: the user name is known, the secret is wrong
  NotApiUser,        // 500: the user name is unknown, or not an API user
  BadIntegration,    // 500: the tracking identifier (ApiIntegrationCode) is missing or wrong
  WrongZone,         // 500: the user belongs to another zone than base_url
  Forbidden,         // 403: the security level does not allow it
  NotFound,          // 404
  Validation,        // 500 with messages: a field was refused
  Throttled,         // 429
  ServerFault,       // 5xx without messages, 502, 503
  Other,
};

ErrorKind kind_of_error(const http::ClientResponse& response);

// `what`: the operation as a partner reads it ("POST /V1.0/Tickets", "querying Contracts").
std::string explain_error(const http::ClientResponse& response, std::string_view what);

// The outcome of a failed write: credentials problems and server faults are retried (the
// operator fixes credentials; retries run out into the dead letters), refusals are not.
WriteOutcome outcome_of_error(const http::ClientResponse& response, std::string_view what);

// Autotask's messages with the values they echo taken out: quoted text becomes '…', and every
// word that is not one of Autotask's message words or a field name (error_words.h) becomes "…",
// so an unquoted name, e-mail, phone number or title never comes through. Bounded.
std::string redacted_messages(std::string_view body);

}  // namespace switchyard::connectors::autotask
