// OAuth2 client-credentials token endpoint, HaloPSA style (docs/psa/halopsa.md): POST a form with
// grant_type=client_credentials, client_id, client_secret and scope; the answer is
// {"access_token","token_type":"Bearer","expires_in"}. Refusals use RFC 6749's error body
// {"error","error_description"}: 400 invalid_request / unsupported_grant_type, 401
// invalid_client (unknown id or wrong secret) and 401 invalid_grant (revoked credential).
#pragma once

#include "common/http_types.h"
#include "psa-sandbox/auth/token_issuer.h"

namespace switchyard::sandbox {

http::Response answer_client_credentials(TokenIssuer& issuer, const http::Request& request);

}  // namespace switchyard::sandbox
