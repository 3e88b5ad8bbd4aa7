// User name, password and company exchanged for a bearer token: the scheme of the v2 API that
// Kaseya BMS and Pulseway PSA share. POST a form (GrantType=password, UserName, Password, Tenant)
// to /v2/security/authenticate; the answer is the v2 envelope
//   {"Success": true, "Error": null, "Result": {"AccessToken", "RefreshToken", "AccessTokenExpireOn", ...}}
// Failures come in the same envelope, sometimes inside an HTTP 200: Success false is a failure
// whatever the status. Keys are matched ignoring case (client code against live instances reads
// camelCase, the spec writes PascalCase). No refresh grant is documented, so a token that runs
// out is replaced by a new exchange, which is what the TokenProvider does when issue() is called.
#pragma once

#include <functional>
#include <string>

#include "connectors/auth/token_source.h"

namespace switchyard::connectors::auth {

struct PasswordTokenExchangeSettings {
  std::function<std::string(const Tenant&)> token_url;  // absolute
  std::string username_credential = "username";
  std::string password_credential = "password";
  std::string company_credential = "company";  // the PSA's tenant (company) name
  std::string advice;                          // see TokenSource::credentials_advice
};

class PasswordTokenExchange final : public TokenSource {
 public:
  explicit PasswordTokenExchange(PasswordTokenExchangeSettings settings) : settings_(std::move(settings)) {}
  // `refresh_token` is not used (no refresh grant is documented): the credentials are exchanged again.
  Result<IssuedToken> issue(const Tenant& tenant, PsaHttp& http, const std::string& refresh_token) const override;
  std::string credentials_advice(const Tenant&) const override { return settings_.advice; }

 private:
  PasswordTokenExchangeSettings settings_;
};

}  // namespace switchyard::connectors::auth
