// ConnectWise's own steps for the shared reason codes (common/reason_catalogue.h), shown
// under each code in docs/troubleshooting.md. Menu paths as in docs/psa/connectwise.md.
#include <array>

#include "connectors/connectwise/connectwise_connector.h"

namespace switchyard::connectors::connectwise {
namespace {

constexpr std::array kSteps = std::to_array<PsaReasonSteps>({
    {"credentials_refused",
     "System › Members › API Members tab › the API member › API Keys: make a new key pair and put both keys in the "
     "tenant's secret store. Check that the member is not inactive and that `company_id` is the company id typed at "
     "the ConnectWise login."},
    {"forbidden",
     "System › Security Roles › the API member's role: the message names the module and item; give it Inquire All "
     "(reads) or Add All / Edit All (writes). docs/psa/connectwise.md lists every item Switchyard uses."},
    {"psa_rejected",
     "A 403 names the security-role item to grant (System › Security Roles). A 400 names the field: a board, "
     "status, type or company id that does not exist on this board is the usual cause; check the tenant's "
     "`mappings` and `default_board_id`."},
    {"psa_error",
     "A 403 names the security-role item that lacks Inquire (System › Security Roles). A 404 on /system/info "
     "means `base_url` does not end in /v4_6_release/apis/3.0."},
    {"connection_test_failed",
     "Each failed permission check names the security-role item; the API version check needs the codebase "
     "in `base_url` (e.g. /v4_6_release/apis/3.0)."},
    {"untrusted_key_url",
     "ConnectWise callbacks name a signing-key address on the tenant's own site: `base_url` must be the site the "
     "callbacks come from."},
    {"psa_throttled",
     "ConnectWise Cloud limits each API member; another integration using the same member shares the budget. "
     "Give Switchyard its own API member."},
});

}  // namespace

std::span<const PsaReasonSteps> ConnectWiseConnector::reason_steps() const { return kSteps; }

}  // namespace switchyard::connectors::connectwise
