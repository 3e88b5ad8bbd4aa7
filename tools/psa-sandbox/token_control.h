// Control endpoints for the token schemes, under /_sandbox/tokens/{psa} (docs/psa-sandbox.md):
//   GET  /_sandbox/tokens/{psa}           {"token_requests","issued","refused","live_tokens",
//                                          "lifetime_seconds","revoked":[...]}
//   GET  /_sandbox/tokens/{psa}/issued    {"tokens":[{"access_token","refresh_token"}]}, every
//                                          token issued since start or reset (secret scans)
//   POST /_sandbox/tokens/{psa}/lifetime  {"seconds":N}  lifetime of tokens issued from now on
//   POST /_sandbox/tokens/{psa}/revoke    {"credential":"<client id or user name>"}
//   POST /_sandbox/tokens/{psa}/restore   {"credential":"..."}
//   POST /_sandbox/tokens/{psa}/expire    every issued token expires now
// A PSA without a token scheme answers 404 no_token_scheme.
#pragma once

#include <functional>
#include <string>

#include "common/http_types.h"
#include "psa-sandbox/sandbox.h"

namespace switchyard::sandbox {

using ControlRouteAdder =
    std::function<void(std::string method, std::string pattern, std::function<http::Response(const http::Request&)>)>;

void register_token_control_routes(const ControlRouteAdder& add, Sandbox& sandbox);

}  // namespace switchyard::sandbox
