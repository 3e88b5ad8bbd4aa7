// Registers the two token-protected echo PSAs (token_echo.h).
#include "psa-sandbox/psa_registry.h"
#include "psa-sandbox/token_echo/oauth_echo_psa.h"
#include "psa-sandbox/token_echo/password_echo_psa.h"

namespace switchyard::sandbox {

void register_token_echo(PsaRegistry& registry) {
  registry.add("oauth-echo", [](const SandboxOptions&) { return token_echo::make_oauth_echo(); });
  registry.add("password-echo", [](const SandboxOptions&) { return token_echo::make_password_echo(); });
}

}  // namespace switchyard::sandbox
