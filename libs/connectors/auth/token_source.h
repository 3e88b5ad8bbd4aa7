// TokenSource: how one PSA's token scheme obtains an access token (OAuth2 client credentials for
// HaloPSA; a user name, password and tenant exchanged at /v2/security/authenticate for Kaseya BMS
// and Pulseway). A connector whose PSA uses tokens returns one from Connector::token_source();
// the shared TokenProvider (token_provider.h) decides when to call it, once for every replica.
#pragma once

#include <chrono>
#include <string>

#include "common/http_client.h"
#include "common/result.h"
#include "common/tenants.h"
#include "connectors/psa_http.h"

namespace switchyard::connectors::auth {

struct IssuedToken {
  std::string access_token;
  std::string refresh_token;  // empty when the scheme has none
  std::chrono::seconds expires_in{3600};
};

// The error code issue() returns when the PSA refused the tenant's credentials (as opposed to
// being unreachable): the tenant is suspended until its credentials change.
inline constexpr std::string_view kBadCredentials = "bad_credentials";

// POSTs a form (application/x-www-form-urlencoded, answer JSON) to a token endpoint: the one
// request every token scheme makes.
inline Result<http::ClientResponse> post_form(PsaHttp& http, std::string url, std::string form) {
  return http.send({.method = "POST",
                    .url = std::move(url),
                    .headers = {{"Content-Type", "application/x-www-form-urlencoded"}, {"Accept", "application/json"}},
                    .body = std::move(form)});
}

class TokenSource {
 public:
  virtual ~TokenSource() = default;
  // Calls the PSA's token endpoint through `http`. With a `refresh_token`, exchanges it when the
  // scheme can (a refused refresh token is kBadCredentials too; the provider then tries the
  // credentials themselves once). Never puts a secret into an error message.
  virtual Result<IssuedToken> issue(const Tenant& tenant, PsaHttp& http, const std::string& refresh_token) const = 0;
  // Plain language for a partner whose credentials were refused: which setting to check, and
  // where in the PSA (e.g. "HaloPSA: Configuration > Integrations > Halo PSA API: check the
  // application's client ID and secret (credentials.client_id, credentials.client_secret)").
  virtual std::string credentials_advice(const Tenant& tenant) const = 0;
  // Puts the token on a request; Bearer by default.
  virtual void authorize(http::ClientRequest& request, const std::string& access_token) const {
    request.headers.emplace_back("Authorization", "Bearer " + access_token);
  }
};

}  // namespace switchyard::connectors::auth
