// AuthScheme: how a PSA imitation checks a request's credentials. Each scheme only says
// whether a request may pass and, if not, with which status and message; the PsaApi that
// uses it renders the refusal in its own error body shape.
#pragma once

#include <optional>
#include <string>

#include "common/http_types.h"

namespace switchyard::sandbox {

struct AuthDenied {
  int status = 401;
  std::string message;  // never echoes a credential
};

class AuthScheme {
 public:
  virtual ~AuthScheme() = default;
  // nullopt when the request may pass. Thread-safe: one scheme serves every tenant.
  virtual std::optional<AuthDenied> check(const http::Request& request) const = 0;
};

}  // namespace switchyard::sandbox
