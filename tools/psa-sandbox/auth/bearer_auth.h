// Bearer-token auth for API routes behind a token scheme: "Authorization: Bearer <token>"
// must name a token its TokenIssuer issued, that has not expired and whose credential was
// not revoked. Every refusal is a 401, as the token schemes' clients expect (they fetch a
// new token on 401 and retry once: docs/psa/halopsa.md).
#pragma once

#include "psa-sandbox/auth/auth_scheme.h"
#include "psa-sandbox/auth/token_issuer.h"

namespace switchyard::sandbox {

class BearerAuth : public AuthScheme {
 public:
  explicit BearerAuth(const TokenIssuer& issuer) : issuer_(issuer) {}
  std::optional<AuthDenied> check(const http::Request& request) const override;

 private:
  const TokenIssuer& issuer_;
};

}  // namespace switchyard::sandbox
