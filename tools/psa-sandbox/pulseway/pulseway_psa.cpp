// Pulseway PSA in the sandbox: the shared v2 imitation (kaseya_v2/) below /pulseway, with its
// demo Api Employee (docs/psa/pulseway.md, "Sandbox"). It follows the BMS shapes, as the
// connector does: no public Pulseway spec was found to imitate instead.
#include "psa-sandbox/kaseya_v2/v2_psa.h"
#include "psa-sandbox/psa_registry.h"

namespace switchyard::sandbox {

void register_pulseway(PsaRegistry& registry) {
  registry.add("pulseway", [](const SandboxOptions&) {
    return kaseya_v2::make_v2_psa({.name = "pulseway",
                                   .company = "acme-msp",
                                   .username = "pulseway-api@acme-msp.example",
                                   .password = "pulseway-sandbox-password"});
  });
}

}  // namespace switchyard::sandbox
