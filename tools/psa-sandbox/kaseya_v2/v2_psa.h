// One v2 PSA in the sandbox (Kaseya BMS, Pulseway PSA): the token exchange at
// <prefix>/v2/security/authenticate, bearer tokens on every other <prefix>/v2/ route
// (v2_api.h), and the demo seed. The PSAs differ only in their V2PsaConfig.
#pragma once

#include <memory>
#include <string>

#include "psa-sandbox/psa_api.h"

namespace switchyard::sandbox::kaseya_v2 {

struct V2PsaConfig {
  std::string name;      // "kaseya_bms": route prefix /<name>, store keys "<name>/..."
  std::string company;   // the Tenant form field the sandbox accepts
  std::string username;
  std::string password;
};

std::unique_ptr<PsaApi> make_v2_psa(V2PsaConfig config);

}  // namespace switchyard::sandbox::kaseya_v2
