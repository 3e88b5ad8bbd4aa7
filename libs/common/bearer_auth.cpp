#include "common/bearer_auth.h"

#include "common/log.h"

namespace switchyard {

http::Response BearerAuth::response() const {
  if (status == 403) {
    return http::error_response(403, "forbidden", "this token may not do that for this tenant");
  }
  auto r = http::error_response(401, "unauthorized", "a valid \"Authorization: Bearer <token>\" header is required");
  r.headers.emplace_back("WWW-Authenticate", "Bearer");
  return r;
}

BearerAuth authorize_bearer(const ApiTokens& tokens, std::string_view authorization_header, std::string_view tenant,
                            ApiScope scope) {
  BearerAuth auth;
  std::string_view presented = authorization_header;
  if (!presented.starts_with("Bearer ") || presented.size() == 7) {
    auth.status = 401;
    auth.reason = "missing_token";
    return auth;
  }
  presented.remove_prefix(7);
  const ApiToken* token = tokens.find(presented);
  if (token == nullptr) {
    auth.status = 401;
    auth.reason = "unknown_token";
    log::warn("api request refused: unknown token", {{"scope", std::string(scope_name(scope))}});
    return auth;
  }
  if (!token->has_scope(scope) || !token->allows_tenant(tenant)) {
    auth.status = 403;
    auth.reason = token->has_scope(scope) ? "tenant_not_allowed" : "scope_not_allowed";
    log::warn("api request refused: token does not cover it", {{"token_id", token->id},
                                                               {"tenant", std::string(tenant)},
                                                               {"scope", std::string(scope_name(scope))},
                                                               {"reason", auth.reason}});
    return auth;
  }
  auth.token = token;
  return auth;
}

}  // namespace switchyard
