// Syncro's own steps for the shared reason codes (common/reason_catalogue.h), shown
// under each code in docs/troubleshooting.md. Menu paths as in docs/psa/syncro.md.
#include <array>

#include "connectors/syncro/syncro_connector.h"

namespace switchyard::connectors::syncro {
namespace {

constexpr std::array kSteps = std::to_array<PsaReasonSteps>({
    {"credentials_refused",
     "Admin › API Tokens: make a new token with the permissions in docs/psa/syncro.md step 1 and put it in the "
     "tenant's secret store; the old token may have been revoked."},
    {"forbidden",
     "The API token lacks the permission named (e.g. Tickets - List/Search): Admin › API Tokens › the token › "
     "Custom Permissions. A token's permissions cannot be widened: make a new one if needed."},
    {"psa_rejected",
     "A 422 names the field Syncro refused: a status or priority that is not one of the account's (Admin › "
     "Tickets), or a customer id that does not exist. A 403 names the token permission to add."},
    {"egress_budget",
     "Syncro allows 180 requests a minute per calling IP address: tenants sharing an `egress` share it."},
    {"missing_signature",
     "Syncro signs nothing: its webhooks are checked by the URL secret. Use the URL with the secret at its end "
     "(docs/psa/syncro.md §3)."},
    {"connection_test_failed",
     "permission:<list> checks name the token permission to add (Admin › API Tokens)."},
});

}  // namespace

std::span<const PsaReasonSteps> SyncroConnector::reason_steps() const { return kSteps; }

}  // namespace switchyard::connectors::syncro
