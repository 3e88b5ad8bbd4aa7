// Admin routes leave an audit record (common/audit.h) for every request made with a known API
// token: actor "token:<token id>" (never the token), the action, the tenant of the path, and the
// outcome from the answer's status (2xx/3xx "ok", 4xx "refused", 5xx "failed"). Requests without
// a known token are refused before anything happens and are only counted
// (switchyard_ingest_rejected_total): an anonymous caller cannot fill a topic kept 400 days.
//
// The answer waits for the record's acknowledgement: no caller hears that an action succeeded
// unless its record is stored. When the record is lost, a successful answer becomes 503
// audit_unavailable (Retry-After): every admin action is safe to repeat, and the repeat is
// recorded. A refusal or failure is answered as it is, whatever became of its record.
#pragma once

#include <string>
#include <string_view>

#include "common/api_tokens.h"
#include "common/audit.h"
#include "common/bearer_auth.h"  // presented_token
#include "common/http_types.h"

namespace switchyard::ingest {

// "token:<id>".
std::string token_actor(const ApiToken& token);
// "ok", "refused" or "failed" for an answer's status.
std::string_view audit_outcome(int status);

// Answers `response` once `record` is written; a successful response whose record was lost
// becomes 503 audit_unavailable.
void respond_when_recorded(AuditTrail& audit, AuditRecord record, http::Response response, http::Responder respond);

// `handler` with an audit record of `action` for each of its requests made with a known token.
// Details: {"method","status"}.
http::Handler audited(AuditTrail& audit, const ApiTokens& tokens, std::string action, http::Handler handler);

}  // namespace switchyard::ingest
