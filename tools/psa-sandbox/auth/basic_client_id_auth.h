// ConnectWise-style auth (docs/psa/connectwise.md): Basic "<company>+<publicKey>:<privateKey>" plus a
// registered clientId header. The company id is case-insensitive like CW logins; keys are not.
#pragma once

#include <string>

#include "psa-sandbox/auth/auth_scheme.h"

namespace switchyard::sandbox {

class BasicClientIdAuth : public AuthScheme {
 public:
  struct Credentials {
    std::string company_id;
    std::string public_key;
    std::string private_key;
    std::string client_id;
  };
  explicit BasicClientIdAuth(Credentials credentials) : credentials_(std::move(credentials)) {}
  std::optional<AuthDenied> check(const http::Request& request) const override;

 private:
  Credentials credentials_;
};

}  // namespace switchyard::sandbox
