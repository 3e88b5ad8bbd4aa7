// Static key headers (Autotask style, docs/psa/autotask.md): each header must carry its expected value,
// checked in order; the first mismatch answers that header's own status and message
// (Autotask answers 500 for an unknown user or integration code, 401 for a wrong secret).
#pragma once

#include <string>
#include <vector>

#include "psa-sandbox/auth/auth_scheme.h"

namespace switchyard::sandbox {

class KeyHeadersAuth : public AuthScheme {
 public:
  struct Header {
    std::string name;            // "UserName"
    std::string expected;        // the configured value
    bool case_insensitive;       // user names compare case-insensitively, secrets never
    AuthDenied when_wrong;       // the answer when missing or wrong
  };
  explicit KeyHeadersAuth(std::vector<Header> headers) : headers_(std::move(headers)) {}
  std::optional<AuthDenied> check(const http::Request& request) const override;

 private:
  std::vector<Header> headers_;
};

}  // namespace switchyard::sandbox
