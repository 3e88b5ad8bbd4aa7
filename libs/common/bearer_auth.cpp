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

namespace {

constexpr std::string_view kBearer = "Bearer ";

bool has_bearer(std::string_view header) { return header.starts_with(kBearer) && header.size() > kBearer.size(); }

// The known token behind the header, or the 401 refusal.
BearerAuth known_token(const ApiTokens& tokens, std::string_view authorization_header, ApiScope scope) {
  BearerAuth auth;
  if (!has_bearer(authorization_header)) {
    auth.status = 401;
    auth.reason = "missing_token";
    return auth;
  }
  auth.token = tokens.find(authorization_header.substr(kBearer.size()));
  if (auth.token == nullptr) {
    auth.status = 401;
    auth.reason = "unknown_token";
    log::warn("api request refused: unknown token", {{"scope", std::string(scope_name(scope))}});
  }
  return auth;
}

BearerAuth refuse(const ApiToken& token, std::string_view tenant, ApiScope scope, std::string reason) {
  log::warn("api request refused: token does not cover it", {{"token_id", token.id},
                                                             {"tenant", std::string(tenant)},
                                                             {"scope", std::string(scope_name(scope))},
                                                             {"reason", reason}});
  BearerAuth auth;
  auth.status = 403;
  auth.reason = std::move(reason);
  return auth;
}

}  // namespace

BearerAuth authorize_bearer(const ApiTokens& tokens, std::string_view authorization_header, std::string_view tenant,
                            ApiScope scope) {
  BearerAuth auth = known_token(tokens, authorization_header, scope);
  if (!auth.allowed()) return auth;
  if (!auth.token->has_scope(scope)) return refuse(*auth.token, tenant, scope, "scope_not_allowed");
  if (!auth.token->allows_tenant(tenant)) return refuse(*auth.token, tenant, scope, "tenant_not_allowed");
  return auth;
}

BearerAuth authorize_bearer_scope(const ApiTokens& tokens, std::string_view authorization_header, ApiScope scope) {
  BearerAuth auth = known_token(tokens, authorization_header, scope);
  if (auth.allowed() && !auth.token->has_scope(scope)) return refuse(*auth.token, "", scope, "scope_not_allowed");
  return auth;
}

const ApiToken* presented_token(const ApiTokens& tokens, std::string_view authorization_header) {
  return has_bearer(authorization_header) ? tokens.find(authorization_header.substr(kBearer.size())) : nullptr;
}

}  // namespace switchyard
