// Halo's own steps for the shared reason codes (common/reason_catalogue.h), shown
// under each code in docs/troubleshooting.md. Menu paths as in docs/psa/halopsa.md.
#include <array>

#include "connectors/halopsa/halopsa_connector.h"

namespace switchyard::connectors::halopsa {
namespace {

constexpr std::array kSteps = std::to_array<PsaReasonSteps>({
    {"credentials_refused",
     "Configuration › Integrations › HaloPSA API › View Applications › the application: make a new client secret "
     "and put it in the tenant's secret store. Check the authentication method is Client ID and Secret "
     "(Services) and, for a hosted instance, the tenant's `tenant` credential."},
    {"forbidden",
     "The application (and the agent it acts as) lacks the permission named: Configuration › Integrations › "
     "HaloPSA API › the application › Permissions."},
    {"psa_error",
     "A 403 names the resource the application's permissions do not allow (Configuration › Integrations › "
     "HaloPSA API › the application › Permissions)."},
    {"bad_signature",
     "The webhook's authentication in HaloPSA (Configuration › Integrations › Webhooks) must match the tenant's "
     "`webhook_signing_secrets`: the HMAC key, or `username:password` for basic authentication."},
    {"connection_test_failed",
     "permission:<resource> checks name the application permission to allow."},
});

}  // namespace

std::span<const PsaReasonSteps> HaloConnector::reason_steps() const { return kSteps; }

}  // namespace switchyard::connectors::halopsa
