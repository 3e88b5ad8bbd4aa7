// KaseyaBms's own steps for the shared reason codes (common/reason_catalogue.h), shown
// under each code in docs/troubleshooting.md. Menu paths as in docs/psa/kaseya-bms.md.
#include <array>

#include "connectors/kaseya_bms/kaseya_bms_connector.h"

namespace switchyard::connectors::kaseya_bms {
namespace {

constexpr std::array kSteps = std::to_array<PsaReasonSteps>({
    {"credentials_refused",
     "Admin › Security › Users › the Switchyard user: set a new password and put it in the tenant's secret store. "
     "Check `company` is the company name typed at the BMS login, and that the user has no multi-factor sign-in: "
     "an MFA user cannot work unattended."},
    {"forbidden",
     "Admin › Security › Roles › the Switchyard user's role: grant the role area the message names "
     "(docs/psa/kaseya-bms.md step 1 lists them)."},
    {"psa_rejected",
     "BMS reports a refused request inside an HTTP 200 (Success: false); the message carries its code. A 400 "
     "names the field: a queue, status or priority that does not exist, or an account id that is unknown."},
    {"endpoint_budget",
     "BMS allows 1,500 calls an hour per endpoint for the API user; another integration with the same user shares "
     "it. Give Switchyard its own user, and poll contacts, contracts and assets (read whole) less often."},
    {"connection_test_failed", "Each list check names the role area to grant (Admin › Security › Roles)."},
});

}  // namespace

std::span<const PsaReasonSteps> KaseyaBmsConnector::reason_steps() const { return kSteps; }

}  // namespace switchyard::connectors::kaseya_bms
