// Token-protected echo PSAs: test-only stand-ins for the token schemes, with no records
// behind them, until real HaloPSA and Kaseya BMS / Pulseway imitations arrive. Each has a
// token endpoint and echoes any API request that carries a live bearer token:
//   oauth-echo     POST /oauth-echo/auth/token (OAuth2 client credentials, HaloPSA style);
//                  /oauth-echo/api/... answers {"method","path","body"}
//   password-echo  POST /password-echo/v2/security/authenticate (user/password exchange,
//                  Kaseya BMS / Pulseway style); /password-echo/v2/... answers
//                  {"Success":true,"Error":null,"Result":{"Method","Path","Body"}}
// Their token state is controlled through /_sandbox/tokens/<name> (docs/psa-sandbox.md).
#pragma once

#include <string_view>

namespace switchyard::sandbox::token_echo {

// The credentials each echo PSA accepts (demo values, like the other PSAs' defaults).
inline constexpr std::string_view kClientId = "sandbox-client";
inline constexpr std::string_view kClientSecret = "sandbox-client-secret";
inline constexpr std::string_view kUserName = "api@switchyard.test";
inline constexpr std::string_view kPassword = "demo-password";
inline constexpr std::string_view kTenant = "switchyard_demo";

}  // namespace switchyard::sandbox::token_echo
