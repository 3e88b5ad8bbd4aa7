// The oauth-echo PSA (token_echo.h).
#pragma once

#include <memory>

#include "psa-sandbox/psa_api.h"

namespace switchyard::sandbox::token_echo {

std::unique_ptr<PsaApi> make_oauth_echo();

}  // namespace switchyard::sandbox::token_echo
