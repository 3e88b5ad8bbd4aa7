// User/password token exchange, Kaseya BMS / Pulseway PSA style (docs/psa/kaseya-bms.md): POST
// /v2/security/authenticate with form fields GrantType (required, "password"), UserName,
// Password and Tenant (the company name). Field names are matched ignoring case (client code
// sends "grantType"). The answer is BMS's envelope:
//   {"Success":true,"Error":null,"Result":{"AccessToken","RefreshToken","AccessTokenExpireOn",
//    "RefreshTokenExpireOn"}}
// and a refusal {"Success":false,"Error":{"Code","Message"},"Result":null} with 400 (bad
// form, unsupported grant) or 401 (wrong user, password or tenant; revoked user).
// Only form-urlencoded bodies are read (the spec also allows multipart).
#pragma once

#include <string>
#include <string_view>

#include "common/http_types.h"
#include "psa-sandbox/auth/token_issuer.h"

namespace switchyard::sandbox {

// BMS's failure envelope, also the body of the PSA's other errors.
http::Response bms_error(int status, std::string_view message);

// `tenant` is the company name the credentials belong to (compared ignoring case).
http::Response answer_password_exchange(TokenIssuer& issuer, std::string_view tenant, const http::Request& request);

}  // namespace switchyard::sandbox
