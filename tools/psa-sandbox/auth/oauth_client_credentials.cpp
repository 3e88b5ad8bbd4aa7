#include "psa-sandbox/auth/oauth_client_credentials.h"

#include "common/json_writer.h"
#include "psa-sandbox/auth/form_fields.h"

namespace switchyard::sandbox {
namespace {

http::Response oauth_error(int status, std::string_view error, std::string_view description) {
  JsonWriter w;
  w.begin_object().field("error", error).field("error_description", description).end_object();
  return http::json_response(status, w.take());
}

}  // namespace

http::Response answer_client_credentials(TokenIssuer& issuer, const http::Request& request) {
  if (request.method != "POST") {
    issuer.count_refused_request();
    return oauth_error(405, "invalid_request", "The token endpoint takes POST");
  }
  const FormFields form(request.body);
  const auto grant = form.get("grant_type");
  const auto id = form.get("client_id");
  const auto secret = form.get("client_secret");
  if (!grant || !id || !secret) {
    issuer.count_refused_request();
    return oauth_error(400, "invalid_request", "grant_type, client_id and client_secret are required");
  }
  if (*grant != "client_credentials") {
    issuer.count_refused_request();
    return oauth_error(400, "unsupported_grant_type", "Only client_credentials is supported");
  }
  bool revoked = false;
  const auto token = issuer.issue(*id, *secret, &revoked);
  if (!token) {
    return revoked ? oauth_error(401, "invalid_grant", "The client's credentials have been revoked")
                   : oauth_error(401, "invalid_client", "Unknown client or wrong secret");
  }
  JsonWriter w;
  w.begin_object().field("access_token", token->access_token).field("token_type", "Bearer");
  w.field("expires_in", static_cast<int64_t>(token->expires_in.count()));
  w.field("scope", form.get("scope").value_or("all")).end_object();
  auto response = http::json_response(200, w.take());
  response.headers.emplace_back("Cache-Control", "no-store");
  return response;
}

}  // namespace switchyard::sandbox
