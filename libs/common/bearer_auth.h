// "Authorization: Bearer <token>" checked against the API tokens for one tenant and scope:
// the one rule every authenticated endpoint applies. 401 when the token is missing or
// unknown, 403 when a known token does not cover the tenant or the scope. Logs the token's
// id (never the token) on a refusal.
#pragma once

#include <string>
#include <string_view>

#include "common/api_tokens.h"
#include "common/http_types.h"

namespace switchyard {

struct BearerAuth {
  const ApiToken* token = nullptr;  // set when allowed
  int status = 0;                   // 0 allowed, else 401 or 403
  // Why it was refused, for metrics and logs: missing_token, unknown_token, tenant_not_allowed,
  // scope_not_allowed.
  std::string reason;

  bool allowed() const { return token != nullptr; }
  // The 401 (with WWW-Authenticate) or 403 answer, in the API's error shape.
  http::Response response() const;
};

// The known token of an "Authorization: Bearer <token>" header, or nullptr (no header, another
// scheme, an empty or unknown token). Nothing is logged.
const ApiToken* presented_token(const ApiTokens& tokens, std::string_view authorization_header);

BearerAuth authorize_bearer(const ApiTokens& tokens, std::string_view authorization_header, std::string_view tenant,
                            ApiScope scope);
// The same without a tenant, for routes that span tenants (the console's tenant list): the
// token must be known and have the scope; the caller shows only the tenants it covers.
BearerAuth authorize_bearer_scope(const ApiTokens& tokens, std::string_view authorization_header, ApiScope scope);

}  // namespace switchyard
