// Pulseway's own steps for the shared reason codes (common/reason_catalogue.h), shown
// under each code in docs/troubleshooting.md. Menu paths as in docs/psa/pulseway.md.
#include <array>

#include "connectors/pulseway/pulseway_connector.h"

namespace switchyard::connectors::pulseway {
namespace {

constexpr std::array kSteps = std::to_array<PsaReasonSteps>({
    {"credentials_refused",
     "HR › Employees › the Api Employee: set a new password and put it in the tenant's secret store. Check "
     "`company` is the company name typed at the Pulseway PSA login; use an Api Employee, which has no "
     "multi-factor sign-in."},
    {"forbidden", "The Api Employee's role lacks the area the message names: grant it in the role editor."},
    {"endpoint_budget",
     "Pulseway PSA allows 1,500 calls an hour per endpoint (as BMS): poll contacts, contracts and assets less "
     "often, and give Switchyard its own Api Employee."},
    {"connection_test_failed", "Each list check names the role area the Api Employee needs."},
});

}  // namespace

std::span<const PsaReasonSteps> PulsewayConnector::reason_steps() const { return kSteps; }

}  // namespace switchyard::connectors::pulseway
