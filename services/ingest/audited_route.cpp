#include "ingest/audited_route.h"

#include <memory>

#include "common/json_writer.h"

namespace switchyard::ingest {
namespace {

// Tenant ids are short (common/tenant_ids.h); a longer path segment is cut, not recorded whole.
constexpr size_t kMaxRecordedTenant = 128;

}  // namespace

std::string token_actor(const ApiToken& token) { return "token:" + token.id; }

std::string_view audit_outcome(int status) {
  if (status >= 500) return "failed";
  if (status >= 400) return "refused";
  return "ok";
}

void respond_when_recorded(AuditTrail& audit, AuditRecord record, http::Response response, http::Responder respond) {
  const bool succeeded = response.status < 400;
  auto pending = std::make_shared<http::Response>(std::move(response));
  audit.record_then(std::move(record), [succeeded, pending, respond = std::move(respond)](bool written) {
    if (written || !succeeded) return respond(std::move(*pending));
    auto r = http::error_response(503, "audit_unavailable",
                                  "the action may have run, but its audit record could not be written; "
                                  "repeat the request (it is safe to repeat) so that it is recorded");
    r.headers.emplace_back("Retry-After", "5");
    respond(std::move(r));
  });
}

http::Handler audited(AuditTrail& audit, const ApiTokens& tokens, std::string action, http::Handler handler) {
  return [&audit, &tokens, action = std::move(action), handler = std::move(handler)](http::Request&& request,
                                                                                     http::Responder respond) {
    const ApiToken* token = presented_token(tokens, request.header("Authorization"));
    if (token == nullptr) return handler(std::move(request), std::move(respond));
    AuditRecord record;
    record.actor = token_actor(*token);
    record.action = action;
    const auto tenant = request.params.find("tenant");
    if (tenant != request.params.end()) record.tenant = tenant->second.substr(0, kMaxRecordedTenant);
    std::string method = request.method;
    handler(std::move(request), [&audit, record = std::move(record), method = std::move(method),
                                 respond = std::move(respond)](http::Response response) mutable {
      record.outcome = std::string(audit_outcome(response.status));
      JsonWriter details;
      details.begin_object().field("method", method).field("status", static_cast<int64_t>(response.status)).end_object();
      record.details_json = details.take();
      respond_when_recorded(audit, std::move(record), std::move(response), std::move(respond));
    });
  };
}

}  // namespace switchyard::ingest
