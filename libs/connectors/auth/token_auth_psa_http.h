// PsaHttp that puts the tenant's access token on every request (TokenProvider, shared by every
// replica) and, when the PSA answers 401, asks for a fresh token once and sends the request
// again: a token revoked or expired early costs one retry, never a failed command or poll. A
// second 401 is returned as it is (the connector reports it). Sits above the rate-limited
// PsaHttp, so token requests spend the tenant's budget like any other call. With no TokenSource
// (a PSA with static credentials) it passes every call through unchanged, so the engines wrap
// every connector the same way.
#pragma once

#include "connectors/auth/token_provider.h"

namespace switchyard::connectors::auth {

class TokenAuthPsaHttp : public PsaHttp {
 public:
  TokenAuthPsaHttp(PsaHttp& inner, TokenProvider& provider, const Tenant& tenant, const TokenSource* source)
      : inner_(inner), provider_(provider), tenant_(tenant), source_(source) {}

  // Errors: the TokenProvider's ("auth_suspended", "token_unavailable", "throttled", ...) or inner's.
  Result<http::ClientResponse> send(const http::ClientRequest& request) override;
  // Set once a call failed because the tenant is suspended (its credentials were refused): the
  // plain-language reason. Engines then park the tenant instead of retrying.
  const std::optional<std::string>& suspension() const { return suspension_; }

 private:
  Result<http::ClientResponse> send_with(const http::ClientRequest& request, const std::string& token);
  Error failed(Error error);

  PsaHttp& inner_;
  TokenProvider& provider_;
  const Tenant& tenant_;
  const TokenSource* source_;
  std::optional<std::string> suspension_;
};

}  // namespace switchyard::connectors::auth
