#include "psa-sandbox/auth/basic_client_id_auth.h"

#include "psa-sandbox/json_value.h"
#include "psa-sandbox/signing.h"

namespace switchyard::sandbox {

std::optional<AuthDenied> BasicClientIdAuth::check(const http::Request& request) const {
  const auto denied = [](std::string message) { return AuthDenied{401, std::move(message)}; };
  const std::string_view auth = request.header("authorization");
  if (auth.size() < 6 || !iequals(auth.substr(0, 6), "basic ")) {
    return denied("Authorization header with Basic credentials is required");
  }
  const auto decoded = base64_decode(auth.substr(6));
  const size_t colon = decoded ? decoded->find(':') : std::string::npos;
  if (colon == std::string::npos) return denied("Malformed Basic credentials");
  const std::string_view user = std::string_view(*decoded).substr(0, colon);
  const std::string_view password = std::string_view(*decoded).substr(colon + 1);
  const size_t plus = user.find('+');
  const bool ok = plus != std::string_view::npos && iequals(user.substr(0, plus), credentials_.company_id) &&
                  secure_equals(user.substr(plus + 1), credentials_.public_key) &&
                  secure_equals(password, credentials_.private_key);
  if (!ok) return denied("Invalid company, public key or private key");
  const std::string_view client_id = request.header("clientId");
  if (client_id.empty()) return denied("The clientId header is required");
  if (!iequals(client_id, credentials_.client_id)) return denied("Unknown clientId");
  return std::nullopt;
}

}  // namespace switchyard::sandbox
