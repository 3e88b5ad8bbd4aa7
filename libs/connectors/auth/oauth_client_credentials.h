// OAuth2 client credentials (RFC 6749 §4.4), the token scheme of HaloPSA: POST the client id
// and secret as a form to the token endpoint, get {"access_token","token_type","expires_in"}.
// A PSA's connector configures where the endpoint is, which tenant credentials hold the id and
// secret, the scope, any extra form fields (HaloPSA's hosted instances add `tenant`), and the
// advice a partner reads when the credentials are refused.
#pragma once

#include <functional>
#include <map>
#include <string>

#include "connectors/auth/token_source.h"

namespace switchyard::connectors::auth {

struct OAuthClientCredentialsSettings {
  std::function<std::string(const Tenant&)> token_url;  // absolute
  std::string client_id_credential = "client_id";
  std::string client_secret_credential = "client_secret";
  std::string scope;                                    // empty: none sent
  // Extra form fields from tenant options: form field → option name (sent when the option is set).
  std::map<std::string, std::string> form_fields_from_options;
  std::string advice;                                   // see TokenSource::credentials_advice
};

class OAuthClientCredentials final : public TokenSource {
 public:
  explicit OAuthClientCredentials(OAuthClientCredentialsSettings settings) : settings_(std::move(settings)) {}
  // `refresh_token` is ignored: client credentials have none (a new token is simply requested).
  Result<IssuedToken> issue(const Tenant& tenant, PsaHttp& http, const std::string& refresh_token) const override;
  std::string credentials_advice(const Tenant&) const override { return settings_.advice; }

 private:
  OAuthClientCredentialsSettings settings_;
};

}  // namespace switchyard::connectors::auth
