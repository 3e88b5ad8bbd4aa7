#include "psa-sandbox/auth/bearer_auth.h"

namespace switchyard::sandbox {

std::optional<AuthDenied> BearerAuth::check(const http::Request& request) const {
  const auto problem = issuer_.check_bearer(request.header("authorization"));
  if (!problem) return std::nullopt;
  switch (*problem) {
    case TokenProblem::missing:
      return AuthDenied{401, "An Authorization header with a Bearer token is required"};
    case TokenProblem::unknown:
      return AuthDenied{401, "The access token is invalid"};
    case TokenProblem::expired:
      return AuthDenied{401, "The access token has expired"};
    case TokenProblem::revoked:
      return AuthDenied{401, "The access token has been revoked"};
  }
  return AuthDenied{401, "The access token is invalid"};
}

}  // namespace switchyard::sandbox
