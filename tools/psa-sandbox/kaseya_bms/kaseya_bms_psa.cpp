// Kaseya BMS in the sandbox: the shared v2 imitation (kaseya_v2/) below /kaseya_bms, with its
// demo API user (docs/psa/kaseya-bms.md, "Sandbox").
#include "psa-sandbox/kaseya_v2/v2_psa.h"
#include "psa-sandbox/psa_registry.h"

namespace switchyard::sandbox {

void register_kaseya_bms(PsaRegistry& registry) {
  registry.add("kaseya_bms", [](const SandboxOptions&) {
    return kaseya_v2::make_v2_psa({.name = "kaseya_bms",
                                   .company = "acme-msp",
                                   .username = "bms-api@acme-msp.example",
                                   .password = "bms-sandbox-password"});
  });
}

}  // namespace switchyard::sandbox
