// Autotask's own steps for the shared reason codes (common/reason_catalogue.h), shown
// under each code in docs/troubleshooting.md. Menu paths as in docs/psa/autotask.md.
#include <array>

#include "connectors/autotask/autotask_connector.h"

namespace switchyard::connectors::autotask {
namespace {

constexpr std::array kSteps = std::to_array<PsaReasonSteps>({
    {"credentials_refused",
     "Admin › Account Settings & Users › Resources/Users › the API user › Security tab: Generate Secret, and put "
     "the new secret in the tenant's secret store. Check that the user is active, its security level is an API "
     "level, and the API tracking identifier (`integration_code`) is the one on that tab."},
    {"forbidden",
     "The API user's security level cannot reach the entity named: use API User (system), or a custom API level "
     "that can query and edit the entities in docs/psa/autotask.md step 1."},
    {"psa_rejected",
     "Autotask names the field it refused: a queue, status, priority or issue type that does not exist, or a "
     "required field of the ticket category. Check the tenant's `options` (default queue, statuses) and "
     "`mappings`."},
    {"psa_throttled",
     "Autotask allows 10,000 requests an hour per database for every integration together. Lower the tenant's "
     "`rate_limit.share`, or find the integration that spends the budget (Admin › API Usage)."},
    {"zone_unknown",
     "`credentials.username` must be the API user's e-mail address (its user name), not a person's login."},
    {"bad_signature",
     "The webhook's secret key in Autotask (Admin › Extensions & Integrations › Webhooks) must match the "
     "tenant's `webhook_signing_secrets`; registering the webhooks again sets both."},
    {"connection_test_failed",
     "permission:<Entity> checks name the entity the API user's security level cannot query; request_budget "
     "shows how much of the hourly 10,000 other integrations use."},
});

}  // namespace

std::span<const PsaReasonSteps> AutotaskConnector::reason_steps() const { return kSteps; }

}  // namespace switchyard::connectors::autotask
